import type { App } from '@slack/bolt';
import { z } from 'zod';
import type { CommandDeps } from '../src/deps.js';
import { readDescription } from '../src/domain/text.js';
import { fieldWordsFor } from '../src/slack/app-errors.js';
import { noticeModal } from '../src/slack/blocks/common.js';
import { NOT_AN_APPROVER } from '../src/slack/blocks/controls.js';
import { FREEZE_FIELDS, VIEW_IDS } from '../src/slack/ids.js';
import { field, readView } from '../src/slack/read-view.js';
import { onSubmission } from './on-submission.js';

const FreezeForm = z
  .object({ [FREEZE_FIELDS.reason.block]: field.text })
  .transform((f) => ({ reason: f[FREEZE_FIELDS.reason.block] }));

/** The freeze modal from the Home tab: the same freeze service as `/payout freeze all` (audited; ops and approvals told). */
export function register(app: App, deps: CommandDeps): void {
  onSubmission(app, deps, VIEW_IDS.freeze, async ({ ack, body, view }) => {
    const block = FREEZE_FIELDS.reason.block;
    let reason: string | null;
    try {
      reason = readDescription(readView(view, FreezeForm).reason, 'reason');
    } catch (error) {
      return ack({ response_action: 'errors', errors: { [block]: fieldWordsFor(error) } });
    }
    if (!reason)
      return ack({
        response_action: 'errors',
        errors: { [block]: 'Say why, so everyone knows what to check before unfreezing.' },
      });
    if (!(await deps.access.has(body.user.id, 'approver')))
      return ack({ response_action: 'update', view: noticeModal('Not allowed', NOT_AN_APPROVER) });
    // The modal closes at once; the Home tab, republished, and the notice in approvals and ops show the freeze.
    await ack();
    const frozen = await deps.freezes.freeze({
      scope: { kind: 'all' },
      by: body.user.id,
      reason,
      at: deps.clock.now().toISOString(),
    });
    deps.logger.info(
      { event: frozen ? 'freeze.on' : 'freeze.already', scope: 'all', userId: body.user.id, from: 'home' },
      'freeze',
    );
    await deps.home.publish(body.team?.id ?? body.user.team_id ?? '', body.user.id);
  });
}

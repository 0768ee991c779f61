import type { App } from '@slack/bolt';
import { z } from 'zod';
import { isEmail, parseCountry } from '../commands/args.js';
import { runInvite } from '../commands/invite.js';
import type { CommandDeps } from '../src/deps.js';
import { newTraceId } from '../src/logger.js';
import { allowed } from '../src/slack/allowed.js';
import { INVITE_FIELDS, VIEW_IDS } from '../src/slack/ids.js';
import { channelMeta, field, readView } from '../src/slack/read-view.js';
import { ephemeralReply } from '../src/slack/replies.js';
import { onSubmission } from './on-submission.js';

const InviteForm = z
  .object({
    [INVITE_FIELDS.user.block]: field.user,
    [INVITE_FIELDS.email.block]: field.text,
    [INVITE_FIELDS.country.block]: field.text,
    meta: channelMeta,
  })
  .transform((f) => ({
    sellerId: f[INVITE_FIELDS.user.block],
    email: f[INVITE_FIELDS.email.block],
    country: f[INVITE_FIELDS.country.block],
    channelId: f.meta.channelId,
  }));

/** The invite modal: fields are checked before the ack so mistakes show in place. */
export function register(app: App, deps: CommandDeps): void {
  onSubmission(app, deps, VIEW_IDS.invite, async ({ ack, body, view, client }) => {
    const { sellerId, email, country, channelId } = readView(view, InviteForm);
    const errors: Record<string, string> = {};
    if (!sellerId) errors[INVITE_FIELDS.user.block] = 'Choose the seller to invite.';
    if (email && !isEmail(email)) errors[INVITE_FIELDS.email.block] = 'That does not look like an email address.';
    if (country && !parseCountry(country))
      errors[INVITE_FIELDS.country.block] = 'Use a two-letter ISO country code such as US, FR or DE.';
    if (Object.keys(errors).length > 0) return ack({ response_action: 'errors', errors });
    await ack();

    const userId = body.user.id;
    const teamId = body.team?.id ?? body.user.team_id ?? '';
    const log = deps.logger.child({ traceId: newTraceId(), userId, command: 'invite' });
    const reply = ephemeralReply(client, channelId, userId);
    if (!(await allowed(deps, { userId, reply }, 'requester'))) return;
    await runInvite(
      deps,
      { userId, teamId, reply, log, client },
      { sellerId, email: email || null, country: country ? (parseCountry(country) ?? null) : null },
    );
  });
}

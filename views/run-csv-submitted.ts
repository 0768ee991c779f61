import type { App } from '@slack/bolt';
import { z } from 'zod';
import { askForRun } from '../commands/run.js';
import type { CommandDeps } from '../src/deps.js';
import type { CheckedBatch } from '../src/domain/batch-intake.js';
import { newTraceId } from '../src/logger.js';
import { wordsFor } from '../src/slack/app-errors.js';
import { CSV_FIELDS, VIEW_IDS } from '../src/slack/ids.js';
import { field, readView } from '../src/slack/read-view.js';
import { ephemeralReply } from '../src/slack/replies.js';
import { onSubmission } from './on-submission.js';

const MAX_PROBLEMS_SHOWN = 20;

const BatchForm = z
  .object({
    [CSV_FIELDS.file.block]: field.files,
    [CSV_FIELDS.text.block]: field.rawText,
    meta: z.object({ channelId: z.string().optional(), held: z.array(z.string()).nullish() }),
  })
  .transform((f) => ({ file: f[CSV_FIELDS.file.block][0], pasted: f[CSV_FIELDS.text.block], channelId: f.meta.channelId || undefined, held: f.meta.held ?? undefined }));

/** `/payout run csv`: every line is checked against Redis before the ack; the batch is asked for only when it is clean. */
export function register(app: App, deps: CommandDeps): void {
  onSubmission(app, deps, VIEW_IDS.runCsv, async ({ ack, body, view, client }) => {
    const { file, pasted, channelId, held } = readView(view, BatchForm);
    const teamId = body.team?.id ?? body.user.team_id ?? '';
    let batch: CheckedBatch;
    try {
      batch = await deps.batches.check({ teamId, file, pasted, heldCurrencies: held });
    } catch (error) {
      return ack({ response_action: 'errors', errors: { [CSV_FIELDS.file.block]: wordsFor(error) } });
    }
    if (batch.empty) return ack({ response_action: 'errors', errors: { [CSV_FIELDS.text.block]: 'Attach a CSV file or paste the lines.' } });
    const { lines, problems } = batch;
    if (problems.length > 0) {
      const shown = problems.slice(0, MAX_PROBLEMS_SHOWN).map((p) => `Line ${p.line}: ${p.message}`);
      if (problems.length > shown.length) shown.push(`…and ${problems.length - shown.length} more.`);
      return ack({ response_action: 'errors', errors: { [file ? CSV_FIELDS.file.block : CSV_FIELDS.text.block]: shown.join('\n').slice(0, 2_000) } });
    }
    await ack();
    const reply = ephemeralReply(client, channelId, body.user.id);
    deps.logger.info({ event: 'run.csv_validated', traceId: newTraceId(), lines: lines.length, userId: body.user.id }, 'CSV batch validated');
    const drafts = lines.map((l) => ({ key: `line${l.line}`, userId: l.userId, accountId: l.accountId, money: l.money, description: l.description }));
    await askForRun(deps, { userId: body.user.id, teamId }, 'csv', drafts, reply);
  });
}

import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { askForRun } from '../commands/run.js';
import type { CommandDeps } from '../src/deps.js';
import type { CheckedBatch } from '../src/domain/batch-intake.js';
import type { BatchProblem } from '../src/domain/payout-batch.js';
import type { AttachedFile } from '../src/domain/ports.js';
import { newTraceId } from '../src/logger.js';
import { fieldWordsFor, replyOnAppError } from '../src/slack/app-errors.js';
import { noticeModal } from '../src/slack/blocks/common.js';
import { CSV_FIELDS, VIEW_IDS } from '../src/slack/ids.js';
import { describeLineProblem, plainWords } from '../src/slack/messages.js';
import { escapeMrkdwn } from '../src/slack/mrkdwn.js';
import { field, readView } from '../src/slack/read-view.js';
import { ephemeralReply, type Reply } from '../src/slack/replies.js';
import { onSubmission } from './on-submission.js';

const MAX_PROBLEMS_SHOWN = 20;

const BatchForm = z
  .object({
    [CSV_FIELDS.file.block]: field.files,
    [CSV_FIELDS.text.block]: field.rawText,
    meta: z.object({ channelId: z.string().optional(), held: z.array(z.string()).nullish() }),
  })
  .transform((f) => ({
    file: f[CSV_FIELDS.file.block][0],
    pasted: f[CSV_FIELDS.text.block],
    channelId: f.meta.channelId || undefined,
    held: f.meta.held ?? undefined,
  }));

const CSV_TITLE = 'Pay a CSV batch';

/** Plain words: a modal's errors are plain text, and the message after the ack escapes them. */
const problemsText = (problems: BatchProblem[]) => {
  const shown = problems
    .slice(0, MAX_PROBLEMS_SHOWN)
    .map((p) => `Line ${p.line}: ${describeLineProblem(p.problem, plainWords)}`);
  if (problems.length > shown.length) shown.push(`…and ${problems.length - shown.length} more.`);
  return shown.join('\n').slice(0, 2_000);
};

/**
 * `/payout run csv`: pasted lines and small files are checked against Redis before the ack, so mistakes show in the
 * form; a large file (up to 50,000 lines) after it, since Slack waits 3 s: the modal says it is checking at once and
 * then shows the outcome in place, which also comes as a message. Either way the batch is asked for only when it is
 * clean, and the view's one accepted submission makes at most one request.
 */
export function register(app: App, deps: CommandDeps): void {
  const askFor = (
    who: { userId: string; teamId: string },
    lines: Extract<CheckedBatch, { empty: false }>['lines'],
    reply: Reply,
  ) => {
    deps.logger.info(
      { event: 'run.csv_validated', traceId: newTraceId(), lines: lines.length, userId: who.userId },
      'CSV batch validated',
    );
    const drafts = lines.map((l) => ({
      key: `line${l.line}`,
      userId: l.userId,
      accountId: l.accountId,
      money: l.money,
      description: l.description,
    }));
    return askForRun(deps, who, 'csv', drafts, reply);
  };

  async function checkAfterAck(input: {
    viewId: string;
    who: { userId: string; teamId: string };
    file: AttachedFile;
    held: string[] | undefined;
    client: WebClient;
    reply: Reply;
  }) {
    // Best effort: the person may have closed the modal; the message still reaches them.
    const show = (text: string) =>
      input.client.views.update({ view_id: input.viewId, view: noticeModal(CSV_TITLE, text) }).then(
        () => undefined,
        () => undefined,
      );
    const tell: Reply = async (message) => {
      if (typeof message === 'string') await show(message);
      await input.reply(message);
    };
    try {
      await replyOnAppError(tell, async () => {
        const batch = await deps.batches.check({
          teamId: input.who.teamId,
          file: input.file,
          pasted: '',
          heldCurrencies: input.held,
          afterAck: true,
        });
        if (batch.empty) return tell(':x: Nothing was asked: the file is empty.');
        if (batch.problems.length > 0)
          return tell(
            `:x: Nothing was asked: the file has problems to fix first.\n${escapeMrkdwn(problemsText(batch.problems))}`,
          );
        await show(`:hourglass_flowing_sand: All ${batch.lines.length} lines are fine; asking for approval…`);
        await askFor(input.who, batch.lines, tell);
      });
    } catch (error) {
      // After the ack nobody else would tell the person: the modal would say "checking" for ever.
      deps.logger.error(
        { err: error, event: 'run.csv_failed', userId: input.who.userId },
        'checking a CSV batch failed',
      );
      await tell(':x: Something went wrong on our side and nothing was asked. Please try again in a minute.');
    }
  }

  onSubmission(app, deps, VIEW_IDS.runCsv, async ({ ack, body, view, client }) => {
    const { file, pasted, channelId, held } = readView(view, BatchForm);
    const who = { userId: body.user.id, teamId: body.team?.id ?? body.user.team_id ?? '' };
    const reply = ephemeralReply(client, channelId, who.userId);
    if (file && !deps.batches.checksBeforeAck(file)) {
      await ack({
        response_action: 'update',
        view: noticeModal(
          CSV_TITLE,
          ':hourglass_flowing_sand: Checking every line of the file… The result shows here and comes as a message where you started.',
        ),
      });
      return checkAfterAck({ viewId: view.id, who, file, held, client, reply });
    }
    let batch: CheckedBatch;
    try {
      batch = await deps.batches.check({ teamId: who.teamId, file, pasted, heldCurrencies: held });
    } catch (error) {
      return ack({ response_action: 'errors', errors: { [CSV_FIELDS.file.block]: fieldWordsFor(error) } });
    }
    if (batch.empty)
      return ack({
        response_action: 'errors',
        errors: { [CSV_FIELDS.text.block]: 'Attach a CSV file or paste the lines.' },
      });
    const { lines, problems } = batch;
    if (problems.length > 0)
      return ack({
        response_action: 'errors',
        errors: { [file ? CSV_FIELDS.file.block : CSV_FIELDS.text.block]: problemsText(problems) },
      });
    await ack();
    await askFor(who, lines, reply);
  });
}

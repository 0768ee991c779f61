import { newTraceId } from '../src/logger.js';
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { AppDeps } from '../src/deps.js';
import { AppError, isAppError } from '../src/domain/errors.js';
import { majorUnitsText } from '../src/domain/money.js';
import { inertText } from '../src/domain/text.js';
import { validateBatch } from '../src/domain/payout-batch.js';
import { unpausedLines } from '../src/domain/payouts.types.js';
import type { RunLineDraft } from '../src/domain/requests.types.js';
import { modal } from '../src/slack/blocks/common.js';
import { formatTotals } from '../src/slack/blocks/payouts.js';
import { requestSummary } from '../src/slack/blocks/requests.js';
import { ACTION_IDS, CSV_FIELDS, VIEW_IDS } from '../src/slack/ids.js';
import { sendCsv } from './csv-export.js';
import { allowed } from './guards.js';
import { ephemeralReply, modalChannel } from './reply.js';
import { onSubmission } from './submissions.js';
import type { Subcommand, SubcommandContext } from './types.js';

type Reply = SubcommandContext['reply'];

async function askForRun(deps: AppDeps, who: { userId: string; teamId: string }, source: 'plan' | 'csv' | 'retry', lines: RunLineDraft[], reply: Reply) {
  try {
    const request = await deps.requests.create({ kind: 'run', teamId: who.teamId, requestedBy: who.userId, description: null, run: { source, lines } });
    await reply(`:inbox_tray: Asked for approval: ${requestSummary(request)} (\`${request.id}\`). The approval message will show the run's progress.`);
  } catch (error) {
    if (!isAppError(error)) throw error;
    await reply(`:x: ${error.userMessage}`);
  }
}

export function runCommand(deps: AppDeps): Subcommand {
  return {
    name: 'run',
    usage: '/payout run | /payout run csv',
    summary: 'pay the whole payout plan now, or a CSV batch, after one approval of the whole run',
    async run(ctx) {
      if (!(await allowed(deps, ctx, 'requester'))) return;
      const [what] = ctx.args;
      if (what === 'csv') {
        // Read now, after the ack, so the modal can check currencies line by line without calling Stripe itself.
        const held = await deps.gateway.balance().then((b) => b.available.map((m) => m.currency), () => undefined);
        await ctx.client.views.open({ trigger_id: ctx.triggerId, view: csvModal({ channelId: ctx.channelId, held }) });
        return;
      }
      if (what !== undefined) return ctx.reply('Use `/payout run` to pay the payout plan, or `/payout run csv` for a batch.');
      const entries = unpausedLines(await deps.plan.list(ctx.teamId));
      const lines = entries.map((e) => ({ key: e.userId, userId: e.userId, accountId: e.accountId, money: e.money, description: e.description }));
      await askForRun(deps, ctx, 'plan', lines, ctx.reply);
    },
  };
}

interface CsvModalMeta {
  channelId: string;
  /** The currencies the platform held when the modal opened. */
  held: string[] | undefined;
}

function csvModal(meta: CsvModalMeta) {
  return modal({
    callbackId: VIEW_IDS.runCsv,
    meta,
    title: 'Pay a CSV batch',
    submit: 'Check and ask',
    blocks: [
      {
        type: 'input',
        block_id: CSV_FIELDS.file.block,
        optional: true,
        label: { type: 'plain_text', text: 'CSV file' },
        element: { type: 'file_input', action_id: CSV_FIELDS.file.action, filetypes: ['csv', 'txt'], max_files: 1 },
      },
      {
        type: 'input',
        block_id: CSV_FIELDS.text.block,
        optional: true,
        label: { type: 'plain_text', text: 'Or paste the lines' },
        hint: { type: 'plain_text', text: 'seller (@mention, user id or acct_…), amount, currency, description — one payment per line' },
        element: { type: 'plain_text_input', action_id: CSV_FIELDS.text.action, multiline: true, max_length: 3000 },
      },
    ],
  });
}

interface CsvState {
  value?: string | null;
  files?: { url_private_download?: string; url_private?: string }[];
}

/** A file from the file_input, read with the bot token (files:read). */
async function downloadCsv(deps: AppDeps, file: NonNullable<CsvState['files']>[number]): Promise<string> {
  const url = file.url_private_download ?? file.url_private;
  if (!url) throw new AppError('csv_file', 'That file could not be read.');
  const res = await fetch(url, { headers: { authorization: `Bearer ${deps.config.SLACK_BOT_TOKEN}` }, signal: AbortSignal.timeout(2_000) });
  if (!res.ok) throw new AppError('csv_file', `Slack would not give me that file (HTTP ${res.status}).`);
  // A file's text does not pass through the payload middleware: the same cleaning here.
  return inertText(await res.text());
}

const MAX_PROBLEMS_SHOWN = 20;

export function registerRunListeners(app: App, deps: AppDeps): void {
  // Every line is checked against Redis before the ack; the batch starts only when it is clean.
  onSubmission(app, deps, VIEW_IDS.runCsv, async ({ ack, body, view, client }) => {
    const state = view.state.values as Record<string, Record<string, CsvState>>;
    const file = state[CSV_FIELDS.file.block]?.[CSV_FIELDS.file.action]?.files?.[0];
    const pasted = state[CSV_FIELDS.text.block]?.[CSV_FIELDS.text.action]?.value ?? '';
    const teamId = body.team?.id ?? body.user.team_id ?? '';
    const { held } = JSON.parse(view.private_metadata || '{}') as Partial<CsvModalMeta>;
    let text = pasted;
    try {
      if (file) text = await downloadCsv(deps, file);
    } catch (error) {
      return ack({ response_action: 'errors', errors: { [CSV_FIELDS.file.block]: isAppError(error) ? error.userMessage : 'That file could not be read.' } });
    }
    if (!text.trim()) return ack({ response_action: 'errors', errors: { [CSV_FIELDS.text.block]: 'Attach a CSV file or paste the lines.' } });
    const sellers = await deps.sellers.list(teamId);
    const { lines, problems } = validateBatch(
      text,
      {
        find: ({ userId, accountId }) => {
          const seller = sellers.find((s) => s.userId === userId || s.accountId === accountId);
          return seller ? { userId: seller.userId, accountId: seller.accountId, payable: seller.state === 'payable' } : undefined;
        },
      },
      // Held currencies were read when the modal opened; create() checks them against Stripe again after the ack.
      held ? { heldCurrencies: new Set(held) } : {},
    );
    if (problems.length > 0) {
      const shown = problems.slice(0, MAX_PROBLEMS_SHOWN).map((p) => `Line ${p.line}: ${p.message}`);
      if (problems.length > shown.length) shown.push(`…and ${problems.length - shown.length} more.`);
      return ack({ response_action: 'errors', errors: { [file ? CSV_FIELDS.file.block : CSV_FIELDS.text.block]: shown.join('\n').slice(0, 2_000) } });
    }
    await ack();
    const reply = ephemeralReply(client, modalChannel(view.private_metadata), body.user.id);
    deps.logger.info({ event: 'run.csv_validated', traceId: newTraceId(), lines: lines.length, userId: body.user.id }, 'CSV batch validated');
    const drafts = lines.map((l) => ({ key: `line${l.line}`, userId: l.userId, accountId: l.accountId, money: l.money, description: l.description }));
    await askForRun(deps, { userId: body.user.id, teamId }, 'csv', drafts, reply);
  });

  app.action<BlockAction<ButtonAction>>(ACTION_IDS.runStart, async ({ ack, body, action, client }) => {
    await ack();
    const reply = ephemeralReply(client, body.channel?.id, body.user.id);
    if (!(await deps.access.has(body.user.id, 'approver'))) return reply(":lock: Only approvers can start a held run.");
    const run = await deps.runs.start(action.value ?? '');
    await reply(run.status === 'held' ? `:raised_hand: Still short by ${formatTotals(run.shortfall)}; nothing was paid.` : ':arrow_forward: The run has started.');
  });

  app.action<BlockAction<ButtonAction>>(ACTION_IDS.runRetry, async ({ ack, body, action, client }) => {
    await ack();
    const reply = ephemeralReply(client, body.channel?.id, body.user.id);
    if (!(await deps.access.has(body.user.id, 'requester'))) return reply(":lock: Only payout requesters can ask for a retry.");
    const failed = await deps.runs.failedLines(action.value ?? '');
    if (failed.length === 0) return reply('No failed lines to retry.');
    await askForRun(deps, { userId: body.user.id, teamId: body.team?.id ?? '' }, 'retry', failed.map(({ key, userId, accountId, money, description }) => ({ key, userId, accountId, money, description })), reply);
  });

  // The run's message shows the first failed lines; this sends all of them (it changes nothing).
  app.action<BlockAction<ButtonAction>>(ACTION_IDS.runFailedCsv, async ({ ack, body, action, client }) => {
    await ack();
    const reply = ephemeralReply(client, body.channel?.id, body.user.id);
    if (!(await deps.access.isStaff(body.user.id))) return reply(':lock: Only payout requesters and approvers can see a run’s lines.');
    const failed = await deps.runs.failedLines(action.value ?? '');
    await sendCsv(deps, body.user.id, reply, {
      name: 'run-failed-lines',
      title: 'The failed lines',
      rows: 'failed lines',
      columns: ['seller', 'amount', 'currency', 'description', 'account', 'reason'],
      data: failed.map((l) => [l.userId, majorUnitsText(l.money), l.money.currency, l.description, l.accountId, l.reason]),
    });
  });
}

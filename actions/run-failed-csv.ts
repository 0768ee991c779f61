import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { CommandDeps } from '../src/deps.js';
import { majorUnitsText } from '../src/domain/money.js';
import { ACTION_IDS } from '../src/slack/ids.js';
import { describeRecorded, plainWords } from '../src/slack/messages.js';
import { ephemeralReply } from '../src/slack/replies.js';
import { sendCsv } from '../src/slack/send-csv.js';

/** The run's message shows the first failed lines; this sends all of them (it changes nothing). */
export function register(app: App, deps: CommandDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION_IDS.runFailedCsv, async ({ ack, body, action, client }) => {
    await ack();
    const reply = ephemeralReply(client, body.channel?.id, body.user.id);
    if (!(await deps.access.isStaff(body.user.id)))
      return reply(':lock: Only payout requesters and approvers can see a run’s lines.');
    const failed = await deps.runs.failedLines(action.value ?? '');
    await sendCsv(deps, body.user.id, reply, {
      name: 'run-failed-lines',
      title: 'The failed lines',
      rows: 'failed lines',
      columns: ['seller', 'amount', 'currency', 'description', 'account', 'reason'],
      data: failed.map((l) => [
        l.userId,
        majorUnitsText(l.money),
        l.money.currency,
        l.description,
        l.accountId,
        l.reason && describeRecorded(l.reason, plainWords),
      ]),
    });
  });
}

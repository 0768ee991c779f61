import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { CommandDeps } from '../src/deps.js';
import { replyOnAppError } from '../src/slack/app-errors.js';
import { ephemeralReply } from '../src/slack/replies.js';

interface ScheduleClick {
  scheduleId: string;
  userId: string;
  teamId: string;
}

/**
 * A button of the `/payout schedules` list: `act` returns what the clicker is told. `staffOnly` for the buttons that
 * act at once; the others ask for an approval, and the request checks who may.
 */
export function onScheduleButton(
  app: App,
  deps: Pick<CommandDeps, 'access'>,
  actionId: string,
  options: { staffOnly: boolean },
  act: (click: ScheduleClick) => Promise<string>,
): void {
  app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, client }) => {
    await ack();
    const reply = ephemeralReply(client, body.channel?.id, body.user.id);
    if (options.staffOnly && !(await deps.access.isStaff(body.user.id)))
      return reply(':x: Only payout requesters and approvers can change schedules.');
    await replyOnAppError(reply, async () =>
      reply(await act({ scheduleId: action.value ?? '', userId: body.user.id, teamId: body.team?.id ?? '' })),
    );
  });
}

import type { App } from '@slack/bolt';
import type { CommandDeps } from '../src/deps.js';
import { scheduleWhat } from '../src/slack/blocks/payouts.js';
import { ACTION_IDS } from '../src/slack/ids.js';
import { onScheduleButton } from './schedule-button.js';

/** Deleting only stops money, so it acts at once. */
export function register(app: App, deps: CommandDeps): void {
  onScheduleButton(app, deps, ACTION_IDS.scheduleDelete, { staffOnly: true }, async ({ scheduleId, userId }) => {
    const schedule = await deps.schedules.remove(scheduleId, userId);
    return `:wastebasket: Deleted the ${scheduleWhat(schedule)}.`;
  });
}

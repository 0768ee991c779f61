import type { App } from '@slack/bolt';
import type { CommandDeps } from '../src/deps.js';
import { scheduleWhat } from '../src/slack/blocks/payouts.js';
import { ACTION_IDS } from '../src/slack/ids.js';
import { onScheduleButton } from './schedule-button.js';

/** Pausing only stops money, so it acts at once. */
export function register(app: App, deps: CommandDeps): void {
  onScheduleButton(app, deps, ACTION_IDS.schedulePause, { staffOnly: true }, async ({ scheduleId, userId }) => {
    const schedule = await deps.schedules.pause(scheduleId, userId);
    return `:double_vertical_bar: Paused the ${scheduleWhat(schedule)}. Resuming it needs an approval.`;
  });
}

import type { App } from '@slack/bolt';
import type { CommandDeps } from '../src/deps.js';
import { requestSummary } from '../src/slack/blocks/requests.js';
import { ACTION_IDS } from '../src/slack/ids.js';
import { onScheduleButton } from './schedule-button.js';

/** Resuming turns money back on, so it asks for approval. */
export function register(app: App, deps: CommandDeps): void {
  onScheduleButton(
    app,
    deps,
    ACTION_IDS.scheduleResume,
    { staffOnly: false },
    async ({ scheduleId, userId, teamId }) => {
      const request = await deps.schedules.requestResume(scheduleId, userId, teamId);
      return `:inbox_tray: Asked for approval to resume: ${requestSummary(request)} (\`${request.id}\`).`;
    },
  );
}

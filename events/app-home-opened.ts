import type { App } from '@slack/bolt';
import type { CommandDeps } from '../src/deps.js';

/** The App Home tab: published fresh each time a person opens it (and, debounced, when what it shows changes). */
export function register(app: App, deps: CommandDeps): void {
  app.event('app_home_opened', async ({ event, body }) => {
    if (event.tab !== 'home') return;
    const teamId = (body as { team_id?: string }).team_id ?? '';
    try {
      await deps.home.publish(teamId, event.user);
    } catch (error) {
      deps.logger.warn(
        { err: error, userId: event.user, event: 'home.publish_failed' },
        'could not publish the Home tab',
      );
    }
  });
}

import type { App } from '@slack/bolt';
import type { AppDeps } from '../src/deps.js';
import { pendingMessage } from '../src/slack/blocks/home.js';
import { allowed } from './guards.js';
import type { Subcommand } from './types.js';

/** The App Home tab: published fresh each time a person opens it (and, debounced, when what it shows changes). */
export function registerHome(app: App, deps: AppDeps): void {
  app.event('app_home_opened', async ({ event, body }) => {
    if (event.tab !== 'home') return;
    const teamId = (body as { team_id?: string }).team_id ?? '';
    try {
      await deps.home.publish(teamId, event.user);
    } catch (error) {
      deps.logger.warn({ err: error, userId: event.user, event: 'home.publish_failed' }, 'could not publish the Home tab');
    }
  });
}

/** `/payout pending`: the Home tab's "Waiting for you", for people who live in channels. */
export function pendingCommand(deps: AppDeps): Subcommand {
  return {
    name: 'pending',
    usage: '/payout pending',
    summary: 'what waits for your decision, with Approve and Reject',
    async run(ctx) {
      if (!(await allowed(deps, ctx, 'approver'))) return;
      await ctx.reply(pendingMessage(await deps.requests.waitingFor(ctx.userId)));
    },
  };
}

import type { App } from '@slack/bolt';
import { ACTION_IDS } from '../src/slack/ids.js';

/** Slack sends block_actions for URL buttons too; without an ack the seller sees a warning. */
export function register(app: App): void {
  app.action(ACTION_IDS.onboardingStart, async ({ ack }) => {
    await ack();
  });
}

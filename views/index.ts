import type { App } from '@slack/bolt';
import type { CommandDeps } from '../src/deps.js';
import { register as freezeSubmitted } from './freeze-submitted.js';
import { register as inviteSubmitted } from './invite-submitted.js';
import { register as moneyRequestSubmitted } from './money-request-submitted.js';
import { register as rejectSubmitted } from './reject-submitted.js';
import { register as runCsvSubmitted } from './run-csv-submitted.js';
import { register as scheduleSubmitted } from './schedule-submitted.js';

/** Modal submissions; each reads its form with readView and answers field mistakes in place. */
export function register(app: App, deps: CommandDeps): void {
  inviteSubmitted(app, deps);
  moneyRequestSubmitted(app, deps);
  rejectSubmitted(app, deps);
  runCsvSubmitted(app, deps);
  scheduleSubmitted(app, deps);
  freezeSubmitted(app, deps);
}

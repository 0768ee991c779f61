import type { App } from '@slack/bolt';
import type { CommandDeps } from '../src/deps.js';
import { register as requestMoney } from './request-money.js';

export function register(app: App, deps: CommandDeps): void {
  requestMoney(app, deps);
}

import type { App } from '@slack/bolt';
import type { CommandDeps } from '../src/deps.js';
import { register as appHomeOpened } from './app-home-opened.js';

export function register(app: App, deps: CommandDeps): void {
  appHomeOpened(app, deps);
}

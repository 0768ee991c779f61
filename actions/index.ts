import type { App } from '@slack/bolt';
import type { CommandDeps } from '../src/deps.js';
import { register as approve } from './approve.js';
import { register as fundingRequestTopup } from './funding-request-topup.js';
import { register as homeFreeze } from './home-freeze.js';
import { register as limitOverride } from './limit-override.js';
import { register as onboardingStart } from './onboarding-start.js';
import { register as reject } from './reject.js';
import { register as runFailedCsv } from './run-failed-csv.js';
import { register as runRetry } from './run-retry.js';
import { register as runStart } from './run-start.js';
import { register as scheduleDelete } from './schedule-delete.js';
import { register as schedulePause } from './schedule-pause.js';
import { register as scheduleResume } from './schedule-resume.js';
import { register as sellerPicker } from './seller-picker.js';

/** Buttons and the seller picker's options. Where a click counts is the origin guard's (src/slack/origin-guard.ts). */
export function register(app: App, deps: CommandDeps): void {
  onboardingStart(app);
  approve(app, deps);
  reject(app, deps);
  sellerPicker(app, deps);
  fundingRequestTopup(app, deps);
  runStart(app, deps);
  runRetry(app, deps);
  runFailedCsv(app, deps);
  schedulePause(app, deps);
  scheduleResume(app, deps);
  scheduleDelete(app, deps);
  limitOverride(app, deps);
  homeFreeze(app, deps);
}

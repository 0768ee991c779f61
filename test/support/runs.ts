import type { Harness } from '../../emulators/local-stack.js';
import type { LaunchRun } from '../../src/domain/runs.js';
import { eventually } from './eventually.js';

/** Launches a run through the run service, as an approved CSV batch would, without Slack: team T0TEAM, nobody asked. */
export function launchRun(h: Harness, id: string, lines: LaunchRun['lines'], overrides: Partial<LaunchRun> = {}) {
  return h.bot.deps.runs.launch({
    id,
    teamId: 'T0TEAM',
    source: 'csv',
    requestId: null,
    scheduleId: null,
    requestedBy: null,
    lines,
    message: null,
    ...overrides,
  });
}

/** Launches a run and waits until every line is settled and it is done. */
export async function runToTheEnd(
  h: Harness,
  id: string,
  lines: LaunchRun['lines'],
  timeoutMs = 20_000,
): Promise<void> {
  await launchRun(h, id, lines);
  await eventually(async () => (await h.bot.deps.runs.get(id))?.status === 'done' || undefined, {
    timeoutMs,
    what: `run ${id} done`,
  });
}

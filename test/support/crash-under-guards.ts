// Run as its own process by test/unit/process-guards.test.ts: the guards on the real `process`, then a request
// (a trace) that leaves one promise rejected and throws from a timer.
import { createLogger } from '../../src/logger.js';
import { installProcessGuards } from '../../src/process-guards.js';
import { withTrace } from '../../src/trace.js';

const logger = createLogger({ level: 'info', destination: process.stdout });
installProcessGuards(process, logger, (reason, exitCode) => {
  logger.info({ event: 'test.drained', reason, exitCode }, 'drained');
  setImmediate(() => process.exit(exitCode));
});
withTrace('trace_crash', () => {
  void Promise.reject(new Error('nobody awaited me'));
  setTimeout(() => {
    throw new Error('thrown from a timer');
  }, 50);
});

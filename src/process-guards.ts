import type { Logger } from './logger.js';
import { currentTraceId } from './trace.js';

/**
 * The last line of defence, installed once the bot serves. Both lines carry the trace id of the request that caused
 * them when there is one (Node runs these handlers in the failed code's async context; see trace.ts).
 * - An unhandled rejection is logged and the process goes on: whatever dropped the promise has already moved on.
 * - An uncaught exception may have stopped any code half-way: it is logged, then the process drains (no new requests,
 *   running jobs finish) and exits non-zero, so the supervisor starts a clean one.
 */
export function installProcessGuards(
  proc: NodeJS.EventEmitter,
  logger: Logger,
  drainAndExit: (reason: string, exitCode: number) => void,
): void {
  proc.on('unhandledRejection', (reason: unknown) => {
    logger.error(
      { err: reason, traceId: currentTraceId(), event: 'process.unhandled_rejection' },
      'a rejected promise was not handled',
    );
  });
  proc.on('uncaughtException', (error: Error, origin: string) => {
    logger.fatal(
      { err: error, origin, traceId: currentTraceId(), event: 'process.uncaught_exception' },
      'uncaught exception: draining, then exiting to be restarted',
    );
    drainAndExit('uncaughtException', 1);
  });
}

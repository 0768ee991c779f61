import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The trace id of the HTTP request being served, carried through every await it starts (AsyncLocalStorage), so a
 * log line, an unhandled rejection or an uncaught exception can name the request it came from.
 */
const traces = new AsyncLocalStorage<{ traceId: string }>();

export const withTrace = <T>(traceId: string, run: () => T): T => traces.run({ traceId }, run);

export const currentTraceId = (): string | undefined => traces.getStore()?.traceId;

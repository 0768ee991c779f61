import { LogLevel, type Logger as SlackLogger } from '@slack/web-api';
import type { Logger } from '../logger.js';

/** Bolt and the Web API client log through pino, one structured line per event; LOG_LEVEL alone sets the level. */
export function createBoltLogger(logger: Logger): SlackLogger {
  let level = LogLevel.INFO;
  let log = logger;
  const write =
    (method: 'error' | 'warn' | 'info' | 'debug') =>
    (...msgs: unknown[]) =>
      log[method]({ args: msgs.slice(1) }, String(msgs[0]));
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    setLevel(next) {
      level = next;
    },
    getLevel: () => level,
    setName(name) {
      log = logger.child({ component: name });
    },
  };
}

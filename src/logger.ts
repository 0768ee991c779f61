import { type Logger, pino } from 'pino';
import { newId } from './domain/ids.js';
import { currentTraceId } from './trace.js';

export type { Logger };

/** Paths that may carry secrets, tokens or signed URLs; pino replaces them wherever they appear. */
const REDACT_PATHS = [
  'token',
  '*.token',
  'botToken',
  'appToken',
  '*.botToken',
  '*.appToken',
  'secret',
  '*.secret',
  '*.signingSecret',
  '*.webhookSecret',
  'apiKey',
  '*.apiKey',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'headers["x-slack-signature"]',
  'headers["stripe-signature"]',
  '*.headers["stripe-signature"]',
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'STRIPE_SECRET_KEY',
  'STRIPE_WEBHOOK_SECRET',
  'CONNECT_TOKEN_SECRET',
  '*.SLACK_BOT_TOKEN',
  '*.SLACK_SIGNING_SECRET',
  '*.SLACK_APP_TOKEN',
  '*.STRIPE_SECRET_KEY',
  '*.STRIPE_WEBHOOK_SECRET',
  '*.CONNECT_TOKEN_SECRET',
  'connectTokenSecret',
  '*.connectTokenSecret',
  'url',
  '*.url',
];

export function createLogger(options: { level: string; destination?: pino.DestinationStream }): Logger {
  const pretty = process.stdout.isTTY && !options.destination && process.env.NODE_ENV !== 'production';
  return pino(
    {
      level: options.level,
      base: { service: 'payout-ops' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      ...(pretty ? { transport: { target: 'pino-pretty', options: { singleLine: true } } } : {}),
    },
    options.destination,
  );
}

/**
 * The id of one incoming command, click or webhook, carried into the jobs it queues; never a payment reference (`pay_…`).
 * Over HTTP it is the id the request was given where it came in (trace.ts), so the process guards name the same one.
 */
export const newTraceId = (): string => currentTraceId() ?? newId('trc');

import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { isAppError } from './domain/errors.js';
import { parseCurrencyAmounts, type CurrencyAmounts } from './domain/money.js';
import { parseScheduleTime } from './domain/schedule-time.js';

/** Slack user ids (U…/W…) and user-group ids (S…), comma-separated. */
const slackPrincipals = z
  .string()
  .transform((raw) => raw.split(',').map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(z.string().regex(/^[UWS][A-Z0-9]{2,}$/, 'expected Slack user ids (U…/W…) or user-group ids (S…)')).min(1));

const currencyAmounts = z.string().transform((raw, ctx): CurrencyAmounts => {
  try {
    return parseCurrencyAmounts(raw);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: isAppError(error) ? error.userMessage : (error as Error).message });
    return z.NEVER;
  }
});

const optionalUrl = z.string().url().optional();


const schema = z
  .object({
    SLACK_BOT_TOKEN: z.string().regex(/^xoxb-/, 'expected a bot token starting with xoxb-'),
    SLACK_SIGNING_SECRET: z.string().min(8),
    SLACK_APP_TOKEN: z.string().regex(/^xapp-/, 'expected an app-level token starting with xapp-').optional(),
    SLACK_API_URL: optionalUrl,
    SLACK_OPS_CHANNEL: z.string().regex(/^[CGD][A-Z0-9]+$/, 'expected a Slack channel id such as C0123456'),
    SLACK_APPROVALS_CHANNEL: z.string().regex(/^[CGD][A-Z0-9]+$/, 'expected a Slack channel id such as C0123456'),
    PAYOUT_REQUESTERS: slackPrincipals,
    PAYOUT_APPROVERS: slackPrincipals,
    DUAL_APPROVAL_THRESHOLDS: currencyAmounts.default(new Map()),
    MAX_REQUEST_AMOUNTS: currencyAmounts.default(new Map()),
    APPROVAL_TTL_SECONDS: z.coerce.number().int().min(60).max(30 * 86_400).default(86_400),
    STRIPE_SECRET_KEY: z.string().regex(/^(sk|rk)_(test|live)_/, 'expected a secret key starting with sk_test_ or sk_live_'),
    STRIPE_WEBHOOK_SECRET: z
      .string()
      .transform((raw) => raw.split(',').map((s) => s.trim()).filter(Boolean))
      .pipe(z.array(z.string().startsWith('whsec_', 'each secret starts with whsec_')).min(1)),
    STRIPE_API_BASE: optionalUrl,
    STRIPE_TRANSFERS_PER_SECOND: z.coerce.number().positive().max(1000).default(20),
    REDIS_URL: z.string().regex(/^rediss?:\/\//, 'expected redis://host:port or rediss://…'),
    PUBLIC_URL: z.string().url().transform((u) => u.replace(/\/+$/, '')),
    PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    ROLE: z.enum(['web', 'worker', 'all']).default('all'),
    CONNECT_TOKEN_SECRET: z.string().min(16).optional(),
    SLACK_TEAM_ID: z.string().regex(/^T[A-Z0-9]+$/).optional(),
    SLACK_APP_ID: z.string().regex(/^A[A-Z0-9]+$/).optional(),
    SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(30),
    SWEEP_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3_600).default(60),
    EXECUTING_TIMEOUT_SECONDS: z.coerce.number().int().min(5).max(86_400).default(600),
    WORKER_LOCK_SECONDS: z.coerce.number().int().min(1).max(600).default(30),
    BANK_CHANGE_HOLD_HOURS: z.coerce.number().min(0).max(30 * 24).default(72),
    RECONCILE_AT: z
      .string()
      .default('06:00 UTC')
      .transform((raw, ctx) => {
        // The same reading as a daily schedule's time: `HH:MM <IANA zone>`.
        const parsed = parseScheduleTime(['daily', ...raw.trim().split(/\s+/)]);
        if ('error' in parsed || parsed.rest.length > 0) {
          ctx.addIssue({ code: 'custom', message: `expected HH:MM and an IANA time zone, e.g. "06:00 UTC"${'error' in parsed ? ` (${parsed.error})` : ''}` });
          return z.NEVER;
        }
        return parsed.time;
      }),
  })
  .superRefine((env, ctx) => {
    if (env.STRIPE_SECRET_KEY.includes('_live_') && !env.PUBLIC_URL.startsWith('https://')) {
      ctx.addIssue({ code: 'custom', path: ['PUBLIC_URL'], message: 'must be https:// when STRIPE_SECRET_KEY is a live key (Stripe requires HTTPS return and refresh URLs)' });
    }
  });

export type Env = z.infer<typeof schema>;

export interface Config extends Env {
  /** Secret that signs the Connect start/refresh/return tokens. */
  connectTokenSecret: string;
  stripeLivemode: boolean;
  stripeApi: { host: string; port: number; protocol: 'http' | 'https' } | undefined;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee the README's "Configuration" table.`);
    this.name = 'ConfigError';
  }
}

/** The only reader of process.env. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = issue.path.join('.') || '(environment)';
        return issue.code === 'invalid_type' && issue.input === undefined ? `${name} is required but not set` : `${name}: ${issue.message}`;
      }),
    );
  }
  const e = parsed.data;
  return {
    ...e,
    connectTokenSecret: e.CONNECT_TOKEN_SECRET ?? createHmac('sha256', e.SLACK_SIGNING_SECRET).update('payout-ops connect tokens v1').digest('hex'),
    stripeLivemode: e.STRIPE_SECRET_KEY.includes('_live_'),
    stripeApi: e.STRIPE_API_BASE ? toStripeApi(e.STRIPE_API_BASE) : undefined,
  };
}

function toStripeApi(base: string): Config['stripeApi'] {
  const url = new URL(base);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return { host: url.hostname, port: Number(url.port || (protocol === 'http' ? 80 : 443)), protocol };
}

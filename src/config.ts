import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { type Day, isDay } from './domain/business-days.js';
import { isAppError } from './domain/errors.js';
import { type CurrencyAmounts, parseCurrencyAmounts } from './domain/money.js';
import { parseScheduleTime } from './domain/schedule-time.js';
import { describeError, plainWords } from './slack/messages.js';

/** A comma-separated list, blanks around and between items ignored. */
const commaList = z.string().transform((raw) =>
  raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);

/** Slack user ids (U…/W…) and user-group ids (S…), comma-separated. */
const slackPrincipals = commaList.pipe(
  z.array(z.string().regex(/^[UWS][A-Z0-9]{2,}$/, 'expected Slack user ids (U…/W…) or user-group ids (S…)')).min(1),
);

const currencyAmounts = z.string().transform((raw, ctx): CurrencyAmounts => {
  try {
    return parseCurrencyAmounts(raw);
  } catch (error) {
    ctx.addIssue({
      code: 'custom',
      message: isAppError(error) ? describeError(error, plainWords) : (error as Error).message,
    });
    return z.NEVER;
  }
});

const optionalUrl = z.string().url().optional();

/** `host:port,host:port`, for Sentinels and Cluster seed nodes. */
const hostPorts = commaList
  .pipe(z.array(z.string().regex(/^[^\s:]+:\d{1,5}$/, 'expected host:port,host:port')).min(1))
  .transform((list) =>
    list.map((hp) => ({ host: hp.slice(0, hp.lastIndexOf(':')), port: Number(hp.slice(hp.lastIndexOf(':') + 1)) })),
  );

/** REDIS_URL's host and password; one without a host (`redis://:secret@`) only carries the password, for Sentinel or Cluster. */
function redisUrlParts(url: string | undefined): { host: string; password: string } {
  const [, userinfo = '', host = ''] = /^rediss?:\/\/(?:([^@/]*)@)?([^/:?]*)/.exec(url ?? '') ?? [];
  return {
    host,
    password: userinfo.includes(':') ? decodeURIComponent(userinfo.slice(userinfo.indexOf(':') + 1)) : '',
  };
}
/** `2026-12-25,2027-01-01`: days that are not business days. */
const holidays = commaList.transform((days, ctx): ReadonlySet<Day> => {
  const bad = days.filter((day) => !isDay(day));
  if (bad.length > 0)
    ctx.addIssue({ code: 'custom', message: `expected dates like 2026-12-25, not ${bad.join(', ')}` });
  return new Set(days);
});

const schema = z
  .object({
    SLACK_BOT_TOKEN: z.string().regex(/^xoxb-/, 'expected a bot token starting with xoxb-'),
    SLACK_SIGNING_SECRET: z.string().min(8),
    SLACK_APP_TOKEN: z
      .string()
      .regex(/^xapp-/, 'expected an app-level token starting with xapp-')
      .optional(),
    SLACK_API_URL: optionalUrl,
    SLACK_OPS_CHANNEL: z.string().regex(/^[CGD][A-Z0-9]+$/, 'expected a Slack channel id such as C0123456'),
    SLACK_APPROVALS_CHANNEL: z.string().regex(/^[CGD][A-Z0-9]+$/, 'expected a Slack channel id such as C0123456'),
    PAYOUT_REQUESTERS: slackPrincipals,
    PAYOUT_APPROVERS: slackPrincipals,
    DUAL_APPROVAL_THRESHOLDS: currencyAmounts.default(new Map()),
    MAX_REQUEST_AMOUNTS: currencyAmounts.default(new Map()),
    VELOCITY_DAILY_TOTAL: currencyAmounts.default(new Map()),
    VELOCITY_DAILY_PER_SELLER: currencyAmounts.default(new Map()),
    APPROVAL_TTL_SECONDS: z.coerce
      .number()
      .int()
      .min(60)
      .max(30 * 86_400)
      .default(86_400),
    STRIPE_SECRET_KEY: z
      .string()
      .regex(/^(sk|rk)_(test|live)_/, 'expected a secret key starting with sk_test_ or sk_live_'),
    STRIPE_WEBHOOK_SECRET: commaList.pipe(
      z.array(z.string().startsWith('whsec_', 'each secret starts with whsec_')).min(1),
    ),
    STRIPE_API_BASE: optionalUrl,
    STRIPE_TRANSFERS_PER_SECOND: z.coerce.number().positive().max(1000).default(20),
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\//, 'expected redis://host:port or rediss://…')
      .optional(),
    REDIS_SENTINELS: hostPorts.optional(),
    REDIS_SENTINEL_NAME: z.string().min(1).default('mymaster'),
    REDIS_CLUSTER_NODES: hostPorts.optional(),
    REDIS_PASSWORD: z.string().min(1).optional(),
    PUBLIC_URL: z
      .string()
      .url()
      .transform((u) => u.replace(/\/+$/, '')),
    PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    ROLE: z.enum(['web', 'worker', 'all']).default('all'),
    METRICS_TOKEN: z.string().min(16, 'use at least 16 characters').optional(),
    ADMIN_PASSWORD: z.string().min(12, 'use at least 12 characters').optional(),
    ADMIN_QUEUES_RETRIES: z.stringbool().default(false),
    CONNECT_TOKEN_SECRET: z.string().min(16).optional(),
    SLACK_TEAM_ID: z
      .string()
      .regex(/^T[A-Z0-9]+$/)
      .optional(),
    SLACK_APP_ID: z
      .string()
      .regex(/^A[A-Z0-9]+$/)
      .optional(),
    SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(30),
    SWEEP_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3_600).default(60),
    EXECUTING_TIMEOUT_SECONDS: z.coerce.number().int().min(5).max(86_400).default(600),
    WORKER_LOCK_SECONDS: z.coerce.number().int().min(1).max(600).default(30),
    BANK_CHANGE_HOLD_HOURS: z.coerce
      .number()
      .min(0)
      .max(30 * 24)
      .default(72),
    RECONCILE_AT: z
      .string()
      .default('06:00 UTC')
      .transform((raw, ctx) => {
        // The same reading as a daily schedule's time: `HH:MM <IANA zone>`.
        const parsed = parseScheduleTime(['daily', ...raw.trim().split(/\s+/)]);
        if ('error' in parsed || parsed.rest.length > 0) {
          ctx.addIssue({
            code: 'custom',
            message: `expected HH:MM and an IANA time zone, e.g. "06:00 UTC"${'error' in parsed ? ` (${describeError(parsed.error, plainWords)})` : ''}`,
          });
          return z.NEVER;
        }
        return parsed.time;
      }),
    FUNDING_BUFFER: currencyAmounts.default(new Map()),
    FUNDING_HOLIDAYS: holidays.default(new Set()),
    TOPUP_SETTLEMENT_BUSINESS_DAYS: z.coerce.number().int().min(0).max(30).default(6),
  })
  .superRefine((env, ctx) => {
    const where = [
      ...(redisUrlParts(env.REDIS_URL).host ? ['REDIS_URL'] : []),
      ...(env.REDIS_SENTINELS ? ['REDIS_SENTINELS'] : []),
      ...(env.REDIS_CLUSTER_NODES ? ['REDIS_CLUSTER_NODES'] : []),
    ];
    if (where.length === 0)
      ctx.addIssue({
        code: 'custom',
        path: ['REDIS_URL'],
        message: 'is required but not set (or set REDIS_SENTINELS or REDIS_CLUSTER_NODES instead)',
      });
    if (where.length > 1)
      ctx.addIssue({
        code: 'custom',
        path: [where[0]!],
        message: `${where.join(' and ')} both say where Redis is; set only one`,
      });
    if (env.STRIPE_SECRET_KEY.includes('_live_') && !env.PUBLIC_URL.startsWith('https://')) {
      ctx.addIssue({
        code: 'custom',
        path: ['PUBLIC_URL'],
        message:
          'must be https:// when STRIPE_SECRET_KEY is a live key (Stripe requires HTTPS return and refresh URLs)',
      });
    }
  });

export type Env = z.infer<typeof schema>;

/** Every variable the configuration reads (for checks of deployment files). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(schema.shape);

export interface Config extends Env {
  /** Secret that signs the Connect start/refresh/return tokens. */
  connectTokenSecret: string;
  stripeLivemode: boolean;
  stripeApi: { host: string; port: number; protocol: 'http' | 'https' } | undefined;
  redis: RedisTarget;
}

export interface HostPort {
  host: string;
  port: number;
}

/** Where Redis is: one server, a master behind Sentinels, or a Cluster. */
export type RedisTarget =
  | { kind: 'single'; url: string; password?: string }
  | { kind: 'sentinel'; sentinels: HostPort[]; name: string; password?: string }
  | { kind: 'cluster'; nodes: HostPort[]; password?: string };

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee the README's "Configuration" table.`,
    );
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
        return issue.code === 'invalid_type' && issue.input === undefined
          ? `${name} is required but not set`
          : `${name}: ${issue.message}`;
      }),
    );
  }
  const e = parsed.data;
  return {
    ...e,
    connectTokenSecret:
      e.CONNECT_TOKEN_SECRET ??
      createHmac('sha256', e.SLACK_SIGNING_SECRET).update('payout-ops connect tokens v1').digest('hex'),
    stripeLivemode: e.STRIPE_SECRET_KEY.includes('_live_'),
    stripeApi: e.STRIPE_API_BASE ? toStripeApi(e.STRIPE_API_BASE) : undefined,
    redis: toRedisTarget(e),
  };
}

function toRedisTarget(e: Env): RedisTarget {
  const password = redisUrlParts(e.REDIS_URL).password || e.REDIS_PASSWORD;
  const auth = password ? { password } : {};
  if (e.REDIS_SENTINELS)
    return { kind: 'sentinel', sentinels: e.REDIS_SENTINELS, name: e.REDIS_SENTINEL_NAME, ...auth };
  if (e.REDIS_CLUSTER_NODES) return { kind: 'cluster', nodes: e.REDIS_CLUSTER_NODES, ...auth };
  return { kind: 'single', url: e.REDIS_URL!, ...auth };
}

function toStripeApi(base: string): Config['stripeApi'] {
  const url = new URL(base);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return { host: url.hostname, port: Number(url.port || (protocol === 'http' ? 80 : 443)), protocol };
}

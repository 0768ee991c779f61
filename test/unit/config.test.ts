import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { validEnv } from '../support/env.js';

const problemsOf = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  return '';
};

describe('configuration', () => {
  it('when only the contract variables are set, then every other setting has a safe default', () => {
    const config = loadConfig(validEnv);
    expect(config.PORT).toBe(3000);
    expect(config.ROLE).toBe('all');
    expect(config.APPROVAL_TTL_SECONDS).toBe(86_400);
    expect(config.STRIPE_TRANSFERS_PER_SECOND).toBe(20);
    expect(config.STRIPE_WEBHOOK_SECRET).toEqual(['whsec_platform', 'whsec_connect']);
    expect(config.PAYOUT_APPROVERS).toEqual(['UAPP1', 'UAPP2']);
    expect(config.PUBLIC_URL).toBe('http://127.0.0.1:3000');
    expect(config.connectTokenSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(config.connectTokenSecret).not.toContain(validEnv.SLACK_SIGNING_SECRET);
    expect(config.stripeApi).toBeUndefined();
    expect(config.BANK_CHANGE_HOLD_HOURS).toBe(72);
    expect(config.RECONCILE_AT).toMatchObject({ pattern: '0 6 * * *', tz: 'UTC' });
  });

  it('when RECONCILE_AT is a time in a zone, then it becomes a daily pattern there; when it is not, then the problem names it', () => {
    expect(loadConfig({ ...validEnv, RECONCILE_AT: '05:30 europe/paris' }).RECONCILE_AT).toMatchObject({
      pattern: '30 5 * * *',
      tz: 'Europe/Paris',
    });
    for (const bad of ['6am UTC', '06:00', '06:00 Mars/Olympus', '25:00 UTC', '06:00 UTC daily'])
      expect(problemsOf({ ...validEnv, RECONCILE_AT: bad })).toContain(
        'RECONCILE_AT: expected HH:MM and an IANA time zone',
      );
    expect(problemsOf({ ...validEnv, BANK_CHANGE_HOLD_HOURS: '-1' })).toContain('BANK_CHANGE_HOLD_HOURS');
  });

  it('when the funding variables are set, then they are read as a buffer per currency, holidays and a lead time', () => {
    const config = loadConfig({
      ...validEnv,
      FUNDING_BUFFER: 'usd:500',
      FUNDING_HOLIDAYS: '2026-12-25, 2027-01-01',
      TOPUP_SETTLEMENT_BUSINESS_DAYS: '5',
    });
    expect(config.FUNDING_BUFFER.get('usd')).toBe(500_00);
    expect([...config.FUNDING_HOLIDAYS]).toEqual(['2026-12-25', '2027-01-01']);
    expect(config.TOPUP_SETTLEMENT_BUSINESS_DAYS).toBe(5);
    expect(loadConfig(validEnv).TOPUP_SETTLEMENT_BUSINESS_DAYS).toBe(6);
    expect(problemsOf({ ...validEnv, FUNDING_HOLIDAYS: '2026-12-32,christmas' })).toContain(
      'FUNDING_HOLIDAYS: expected dates like 2026-12-25, not 2026-12-32, christmas',
    );
  });

  it('when STRIPE_API_BASE is set, then it becomes the SDK host, port and protocol', () => {
    expect(loadConfig({ ...validEnv, STRIPE_API_BASE: 'http://127.0.0.1:12111' }).stripeApi).toEqual({
      host: '127.0.0.1',
      port: 12111,
      protocol: 'http',
    });
  });

  it('when a variable is missing or malformed, then start-up names it', () => {
    const { SLACK_BOT_TOKEN: _, ...withoutToken } = validEnv;
    expect(problemsOf(withoutToken)).toMatch(/SLACK_BOT_TOKEN is required/);
    expect(problemsOf({ ...validEnv, STRIPE_SECRET_KEY: 'pk_test_1' })).toMatch(
      /STRIPE_SECRET_KEY: expected a secret key/,
    );
    expect(problemsOf({ ...validEnv, DUAL_APPROVAL_THRESHOLDS: 'usd:ten' })).toMatch(/DUAL_APPROVAL_THRESHOLDS/);
    expect(problemsOf({ ...validEnv, PAYOUT_APPROVERS: 'bob' })).toMatch(/PAYOUT_APPROVERS/);
    expect(problemsOf({ ...validEnv, ROLE: 'both' })).toMatch(/ROLE/);
  });

  it('when the key is live, then the Connect URLs must be https', () => {
    expect(problemsOf({ ...validEnv, STRIPE_SECRET_KEY: 'sk_live_1' })).toMatch(/PUBLIC_URL: must be https/);
    expect(problemsOf({ ...validEnv, STRIPE_SECRET_KEY: 'sk_live_1', PUBLIC_URL: 'https://pay.example.com' })).toBe('');
  });

  it('when the configuration is refused, then no secret value appears in the message', () => {
    const message = problemsOf({ ...validEnv, STRIPE_SECRET_KEY: 'sk_nope_supersecret' });
    expect(message).not.toContain('supersecret');
  });

  it('when REDIS_SENTINELS is set instead of REDIS_URL, then Redis is the named master behind those Sentinels', () => {
    const { REDIS_URL: _, ...env } = validEnv;
    expect(
      loadConfig({ ...env, REDIS_SENTINELS: '10.0.0.1:26379, sentinel-2:26380', REDIS_PASSWORD: 'pw' }).redis,
    ).toEqual({
      kind: 'sentinel',
      sentinels: [
        { host: '10.0.0.1', port: 26379 },
        { host: 'sentinel-2', port: 26380 },
      ],
      name: 'mymaster',
      password: 'pw',
    });
  });

  it('when REDIS_CLUSTER_NODES is set and REDIS_URL carries only the password, then Redis is that Cluster with that password', () => {
    const config = loadConfig({
      ...validEnv,
      REDIS_URL: 'redis://:s%40cret@',
      REDIS_CLUSTER_NODES: 'node-1:7000,node-2:7001',
      REDIS_PASSWORD: 'ignored',
    });
    expect(config.redis).toEqual({
      kind: 'cluster',
      nodes: [
        { host: 'node-1', port: 7000 },
        { host: 'node-2', port: 7001 },
      ],
      password: 's@cret',
    });
  });

  it('when two variables say where Redis is, or none does, then start-up names them', () => {
    expect(problemsOf({ ...validEnv, REDIS_CLUSTER_NODES: 'node-1:7000' })).toMatch(
      /REDIS_URL and REDIS_CLUSTER_NODES both say where Redis is; set only one/,
    );
    const { REDIS_URL: _, ...env } = validEnv;
    expect(problemsOf({ ...env, REDIS_SENTINELS: 's:26379', REDIS_CLUSTER_NODES: 'node-1:7000' })).toMatch(
      /REDIS_SENTINELS and REDIS_CLUSTER_NODES both/,
    );
    expect(problemsOf(env)).toMatch(
      /REDIS_URL: is required but not set \(or set REDIS_SENTINELS or REDIS_CLUSTER_NODES instead\)/,
    );
    expect(problemsOf({ ...env, REDIS_SENTINELS: 'no-port' })).toMatch(/REDIS_SENTINELS[.0]*: expected host:port/);
  });
});

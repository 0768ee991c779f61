import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, PEOPLE, startHarness } from '../../emulators/local-stack.js';
import type { RunningBot } from '../../src/server.js';
import { onboardPayableSeller } from '../support/onboarding.js';
import { clickApprove, requestViaSlack, waitForState } from '../support/requests.js';

const METRICS_TOKEN = 'metrics-token-0123456789';
const ADMIN_PASSWORD = 'admin-password-0123';
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

let h: Harness;
let worker: RunningBot;
let bare: RunningBot;

beforeAll(async () => {
  h = await startHarness({ env: { METRICS_TOKEN, ADMIN_PASSWORD } });
  worker = await h.startAnotherBot({ ROLE: 'worker' });
  bare = await h.startAnotherBot({ ROLE: 'web', METRICS_TOKEN: '', ADMIN_PASSWORD: '' });
  await onboardPayableSeller(h);
});
afterAll(async () => {
  await h?.stop();
});

const at = (bot: RunningBot, path: string, init: RequestInit = {}) =>
  fetch(`http://127.0.0.1:${bot.port}${path}`, init);
const scrape = async (bot: RunningBot) => {
  const res = await at(bot, '/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(res.status).toBe(200);
  return res.text();
};
/** A sample's value, or undefined when the series is absent. */
const sample = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};
/** A series summed over the processes that run workers (each serves its own metrics; either may run a job). */
const total = (texts: string[], series: string) => texts.reduce((sum, text) => sum + (sample(text, series) ?? 0), 0);

describe('readiness', () => {
  it('when every part of a role runs, then /readyz answers 200 on the web front and on a worker', async () => {
    expect((await at(h.bot, '/readyz')).status).toBe(200);
    expect((await at(worker, '/readyz')).status).toBe(200);
  });

  it('when a worker role has its BullMQ workers closed, then /readyz answers 503 naming them while /healthz stays 200', async () => {
    const closing = await h.startAnotherBot({ ROLE: 'worker' });
    try {
      await Promise.all(closing.workers!.current().map((w) => w.close()));
      const res = await at(closing, '/readyz');
      expect(res.status).toBe(503);
      expect(((await res.json()) as { problems: string[] }).problems).toContain('worker payout-executions not running');
      expect((await at(closing, '/healthz')).status).toBe(200);
    } finally {
      await closing.stop();
    }
  });
});

describe('metrics', () => {
  it('when a scraper sends no token or a wrong one, then /metrics answers 401', async () => {
    expect((await at(h.bot, '/metrics')).status).toBe(401);
    expect((await at(worker, '/metrics', { headers: { authorization: 'Bearer not-the-token-at-all' } })).status).toBe(
      401,
    );
  });

  it('when METRICS_TOKEN is unset, then there is no /metrics route', async () => {
    expect((await at(bare, '/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).status).toBe(404);
  });

  it('when a transfer is paid after Stripe answered 429, then the counters show the request, its timings, the Stripe calls and the 429', async () => {
    h.stripe.control.failNext({
      method: 'POST',
      path: '/v1/transfers',
      status: 429,
      count: 1,
      error: {
        type: 'invalid_request_error',
        code: 'rate_limit',
        message: 'Too many requests hit the API too quickly.',
      },
    });
    const { message, requestId } = await requestViaSlack(h, `transfer <@${PEOPLE.seller1}|ana> 12.34 eur`);
    await clickApprove(h, message, requestId, PEOPLE.approver1);
    await waitForState(h, requestId, ['completed'], 20_000);
    // Each process counts what it did: the web front the request and its approval, a worker the payment.
    const texts = [await scrape(h.bot), await scrape(worker)];
    expect(total(texts, 'payout_requests_total{kind="transfer",state="created"}')).toBe(1);
    expect(total(texts, 'payout_requests_total{kind="transfer",state="completed"}')).toBe(1);
    expect(total(texts, 'payout_request_decision_seconds_count{kind="transfer",decision="approved"}')).toBe(1);
    expect(total(texts, 'payout_request_payment_seconds_count{kind="transfer"}')).toBe(1);
    expect(total(texts, 'payout_stripe_calls_total{method="createTransfer",outcome="ok",code=""}')).toBe(1);
    expect(total(texts, 'payout_stripe_calls_total{method="createTransfer",outcome="error",code="rate_limit"}')).toBe(
      1,
    );
    expect(total(texts, 'payout_stripe_rate_limited_total{method="createTransfer"}')).toBe(1);
  });

  it('when scraped, then every queue is counted per state, the Slack update budget is shown, and a worker serves its own metrics', async () => {
    for (const bot of [h.bot, worker]) {
      const text = await scrape(bot);
      for (const state of ['waiting', 'active', 'delayed', 'failed'])
        expect(sample(text, `payout_queue_jobs{queue="payout-executions",state="${state}"}`)).toBeGreaterThanOrEqual(0);
      expect(sample(text, 'payout_schedule_missed_firings_total')).toBe(0);
      expect(sample(text, 'payout_reconcile_differences')).toBe(0);
      // No run has a progress view here: the whole minute's chat.update budget is left.
      expect(sample(text, 'payout_slack_update_budget_left')).toBe(40);
    }
  });

  it('when EUR payouts are frozen, then every role reports the freeze, and no longer once it is lifted', async () => {
    const scope = { kind: 'currency', currency: 'eur' } as const;
    await h.bot.deps.freezes.freeze({
      scope,
      by: PEOPLE.approver1,
      reason: 'metrics check',
      at: new Date().toISOString(),
    });
    try {
      for (const bot of [h.bot, worker]) expect(sample(await scrape(bot), 'payout_freezes{scope="currency"}')).toBe(1);
    } finally {
      await h.bot.deps.freezes.lift(scope, [PEOPLE.approver1, PEOPLE.approver2]);
    }
    expect(sample(await scrape(h.bot), 'payout_freezes{scope="currency"}')).toBeUndefined();
  });
});

describe('the queue dashboard', () => {
  it('when asked without credentials or with a wrong password, then it answers 401 and asks for basic auth', async () => {
    const res = await at(h.bot, '/admin/queues');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic /);
    expect(
      (await at(h.bot, '/admin/queues', { headers: { authorization: basic('admin', 'wrong-password') } })).status,
    ).toBe(401);
  });

  it('when admin signs in, then the page and its queue list answer 200, on the web front and on a worker', async () => {
    const authorization = basic('admin', ADMIN_PASSWORD);
    for (const bot of [h.bot, worker]) {
      const page = await at(bot, '/admin/queues', { headers: { authorization } });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<html');
      const api = await at(bot, '/admin/queues/api/queues', { headers: { authorization } });
      expect(api.status).toBe(200);
      const names = ((await api.json()) as { queues: { name: string; readOnlyMode: boolean }[] }).queues;
      expect(names.map((q) => q.name)).toContain('payout-executions');
      expect(names.every((q) => q.readOnlyMode)).toBe(true);
    }
  });

  it('when no flag allows retries, then a retry is refused with 403', async () => {
    const res = await at(h.bot, '/admin/queues/api/queues/payout-executions/retry/failed', {
      method: 'PUT',
      headers: { authorization: basic('admin', ADMIN_PASSWORD) },
    });
    expect(res.status).toBe(403);
  });

  it('when ADMIN_QUEUES_RETRIES allows retries, then a retry goes through and emptying a queue is still refused', async () => {
    const retrying = await h.startAnotherBot({ ROLE: 'web', ADMIN_QUEUES_RETRIES: 'true' });
    try {
      const put = (path: string) =>
        at(retrying, `/admin/queues/api/queues/payout-executions/${path}`, {
          method: 'PUT',
          headers: { authorization: basic('admin', ADMIN_PASSWORD) },
        });
      expect((await put('retry/failed')).status).toBe(200);
      expect((await put('empty')).status).toBe(403);
    } finally {
      await retrying.stop();
    }
  });

  it('when ADMIN_PASSWORD is unset, then there is no dashboard', async () => {
    expect(
      (await at(bare, '/admin/queues', { headers: { authorization: basic('admin', ADMIN_PASSWORD) } })).status,
    ).toBe(404);
  });
});

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type StripeEmulator, type StripeEmulatorOptions, startStripeEmulator } from '../../emulators/stripe/server.js';
import { sendSignedRaw } from '../../emulators/stripe/webhooks.js';

const PLATFORM_SECRET = 'whsec_platform';
const CONNECT_SECRET = 'whsec_connect';

interface Receiver {
  url: string;
  events: Stripe.Event[];
  rejected: number;
  close(): Promise<void>;
}

/** A webhook endpoint that verifies signatures with the SDK, answering with `statuses` in turn, then 200. */
async function startReceiver(secret: string, statuses: number[] = []): Promise<Receiver> {
  const receiver: Receiver = { url: '', events: [], rejected: 0, close: async () => undefined };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      try {
        const event = Stripe.webhooks.constructEvent(
          Buffer.concat(chunks).toString('utf8'),
          req.headers['stripe-signature'] ?? '',
          secret,
        );
        const status = statuses.shift() ?? 200;
        if (status === 200) receiver.events.push(event);
        res.writeHead(status).end();
      } catch {
        receiver.rejected += 1;
        res.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`;
  receiver.close = () => new Promise((resolve) => server.close(() => resolve()));
  return receiver;
}

function sdk(emulator: StripeEmulator, maxNetworkRetries = 0, key = 'sk_test_x'): Stripe {
  return new Stripe(key, { host: '127.0.0.1', port: emulator.port, protocol: 'http', maxNetworkRetries });
}

async function caught(promise: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Stripe.errors.StripeError) return error;
    throw error;
  }
  throw new Error('expected the Stripe call to fail');
}

let emulator: StripeEmulator;
let stripe: Stripe;
let platformHook: Receiver;
let connectHook: Receiver;

async function setUp(options: StripeEmulatorOptions = {}): Promise<void> {
  platformHook = await startReceiver(PLATFORM_SECRET);
  connectHook = await startReceiver(CONNECT_SECRET);
  emulator = await startStripeEmulator({
    balances: { usd: 500_00 },
    webhookEndpoints: [
      { url: platformHook.url, secret: PLATFORM_SECRET, connect: false },
      { url: connectHook.url, secret: CONNECT_SECRET, connect: true },
    ],
    webhookRetry: { delayMs: 10 },
    ...options,
  });
  stripe = sdk(emulator);
}

async function tearDown(): Promise<void> {
  await emulator.close();
  await platformHook.close();
  await connectHook.close();
}

function createSeller(seller = 'U1', country = 'US'): Promise<Stripe.Account> {
  return stripe.accounts.create({
    type: 'express',
    country,
    email: `${seller.toLowerCase()}@sellers.example`,
    capabilities: { transfers: { requested: true } },
    tos_acceptance: country === 'US' ? undefined : { service_agreement: 'recipient' },
    metadata: { seller },
  });
}

async function onboardedSeller(seller = 'U1'): Promise<Stripe.Account> {
  const account = await createSeller(seller);
  await emulator.control.completeOnboarding(account.id, { complete: true });
  return account;
}

function available(balance: Stripe.Balance, currency = 'usd'): number | undefined {
  return balance.available.find((entry) => entry.currency === currency)?.amount;
}

describe('Stripe emulator, driven through the official SDK', () => {
  beforeEach(() => setUp());
  afterEach(() => tearDown());

  describe('connected accounts', () => {
    it('when an express account is created with metadata and the transfers capability, then it awaits onboarding and can be retrieved and listed', async () => {
      const account = await createSeller('U1');

      expect(account).toMatchObject({
        object: 'account',
        type: 'express',
        country: 'US',
        default_currency: 'usd',
        email: 'u1@sellers.example',
        details_submitted: false,
        payouts_enabled: false,
        capabilities: { transfers: 'inactive' },
        metadata: { seller: 'U1' },
        requirements: {
          disabled_reason: 'requirements.past_due',
          past_due: expect.arrayContaining(['external_account']),
        },
      });
      expect(account.id).toMatch(/^acct_/);
      expect(await stripe.accounts.retrieve(account.id)).toMatchObject({ id: account.id, metadata: { seller: 'U1' } });
      const second = await createSeller('U2');
      const listed = await stripe.accounts.list({ limit: 10 });
      expect(listed.data.map((entry) => entry.id)).toEqual([second.id, account.id]);
    });

    it('when an unknown account is retrieved, then Stripe’s resource_missing error comes back', async () => {
      const error = await caught(stripe.accounts.retrieve('acct_missing'));

      expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
      expect(error).toMatchObject({
        statusCode: 404,
        code: 'resource_missing',
        param: 'account',
        message: "No such account: 'acct_missing'",
      });
    });

    it('when the country is not a supported country code, then the error names the country param', async () => {
      const error = await caught(stripe.accounts.create({ type: 'express', country: 'XX' }));

      expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
      expect(error.param).toBe('country');
    });

    it('when a US platform opens a seller abroad, then only the recipient service agreement is accepted', async () => {
      const refused = await caught(
        stripe.accounts.create({ type: 'express', country: 'FR', capabilities: { transfers: { requested: true } } }),
      );
      const abroad = await createSeller('U3', 'FR');

      expect(refused.param).toBe('tos_acceptance[service_agreement]');
      expect(abroad).toMatchObject({
        country: 'FR',
        default_currency: 'eur',
        tos_acceptance: { service_agreement: 'recipient' },
      });
    });

    it('when an account is updated, then metadata merges and a connect account.updated carries the previous values', async () => {
      const account = await createSeller('U1');

      const updated = await stripe.accounts.update(account.id, { metadata: { tier: 'gold', seller: '' } });
      await emulator.control.drainWebhooks();

      expect(updated.metadata).toEqual({ tier: 'gold' });
      expect(connectHook.events).toEqual([
        expect.objectContaining({
          type: 'account.updated',
          account: account.id,
          data: expect.objectContaining({ previous_attributes: { metadata: { seller: 'U1' } } }),
        }),
      ]);
    });

    it('when a parameter is unknown, then Stripe refuses it by name', async () => {
      const error = await caught(
        stripe.rawRequest('POST', '/v1/transfers', {
          amount: 1,
          currency: 'usd',
          destination: 'acct_x',
          colour: 'red',
        }),
      );

      expect(error).toMatchObject({
        code: 'parameter_unknown',
        param: 'colour',
        message: 'Received unknown parameter: colour',
      });
    });
  });

  describe('hosted onboarding', () => {
    async function link(accountId: string): Promise<Stripe.AccountLink> {
      return stripe.accountLinks.create({
        account: accountId,
        refresh_url: 'https://bot.example/stripe/refresh',
        return_url: 'https://bot.example/stripe/return',
        type: 'account_onboarding',
      });
    }

    function choose(url: string, action: 'complete' | 'leave_due'): Promise<Response> {
      return fetch(url, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: `action=${action}`,
      });
    }

    it('when the seller completes the hosted page, then the browser lands on return_url and a verified account.updated reaches the connect endpoint', async () => {
      const account = await createSeller('U1');
      const accountLink = await link(account.id);

      expect(accountLink.url).toBe(`${emulator.url}/setup/e/${account.id}/${accountLink.url.split('/').pop()}`);
      expect(accountLink.expires_at - accountLink.created).toBe(300);
      const page = await fetch(accountLink.url);
      const html = await page.text();
      expect(html).toContain('Complete onboarding');
      expect(html).toContain('Leave requirements due');

      const submitted = await choose(accountLink.url, 'complete');
      expect(submitted.status).toBe(302);
      expect(submitted.headers.get('location')).toBe('https://bot.example/stripe/return');
      await emulator.control.drainWebhooks();

      expect(await stripe.accounts.retrieve(account.id)).toMatchObject({
        details_submitted: true,
        payouts_enabled: true,
        capabilities: { transfers: 'active' },
        requirements: { currently_due: [], disabled_reason: null },
      });
      expect(connectHook.rejected).toBe(0);
      expect(connectHook.events).toHaveLength(1);
      expect(connectHook.events[0]).toMatchObject({
        type: 'account.updated',
        account: account.id,
        data: { object: { id: account.id, capabilities: { transfers: 'active' } } },
      });
      expect(platformHook.events.filter((event) => event.type === 'account.updated')).toEqual([]);
    });

    it('when a link was already used or has expired, then its page redirects to refresh_url', async () => {
      const account = await createSeller('U1');
      const used = await link(account.id);
      await choose(used.url, 'leave_due');
      const expiring = await link(account.id);

      emulator.control.advanceClock(301);

      for (const url of [used.url, expiring.url]) {
        const page = await fetch(url, { redirect: 'manual' });
        expect(page.status).toBe(302);
        expect(page.headers.get('location')).toBe('https://bot.example/stripe/refresh');
      }
    });

    it('when the seller leaves requirements due, then transfers stay inactive with the document past due', async () => {
      const account = await createSeller('U1');

      await choose((await link(account.id)).url, 'leave_due');

      expect(await stripe.accounts.retrieve(account.id)).toMatchObject({
        details_submitted: true,
        payouts_enabled: false,
        capabilities: { transfers: 'inactive' },
        requirements: { currently_due: ['individual.verification.document'], disabled_reason: 'requirements.past_due' },
      });
    });

    it('when an onboarded express seller asks for the dashboard, then a login link is issued', async () => {
      const notYet = await createSeller('U2');
      const account = await onboardedSeller('U1');

      const loginLink = await stripe.accounts.createLoginLink(account.id);

      expect(loginLink).toMatchObject({
        object: 'login_link',
        url: expect.stringContaining(`/express/${account.id}/`),
      });
      expect((await fetch(loginLink.url)).status).toBe(200);
      expect(await caught(stripe.accounts.createLoginLink(notYet.id))).toBeInstanceOf(
        Stripe.errors.StripeInvalidRequestError,
      );
    });
  });

  describe('transfers and balances', () => {
    it('when a transfer is made, then the platform is debited, the seller credited and transfer.created reaches the platform endpoint', async () => {
      const account = await onboardedSeller();

      const transfer = await stripe.transfers.create({
        amount: 120_00,
        currency: 'usd',
        destination: account.id,
        description: 'Payout P1',
        metadata: { payout: 'P1' },
        transfer_group: 'batch-1',
      });
      await emulator.control.drainWebhooks();

      expect(transfer).toMatchObject({
        object: 'transfer',
        amount: 120_00,
        amount_reversed: 0,
        destination: account.id,
        reversed: false,
        metadata: { payout: 'P1' },
        transfer_group: 'batch-1',
        reversals: { object: 'list', data: [] },
      });
      expect(transfer.destination_payment).toMatch(/^py_/);
      expect(available(await stripe.balance.retrieve())).toBe(380_00);
      expect(available(await stripe.balance.retrieve({}, { stripeAccount: account.id }))).toBe(120_00);
      expect(await stripe.accounts.retrieveCurrent({}, { stripeAccount: account.id })).toMatchObject({
        id: account.id,
      });
      expect(platformHook.events.map((event) => [event.type, event.account])).toEqual([
        ['transfer.created', undefined],
      ]);
      expect(platformHook.events[0]?.request).toEqual({
        id: transfer.lastResponse.requestId,
        idempotency_key: expect.any(String),
      });
    });

    it('when the platform lacks available funds, then balance_insufficient comes back and nothing moves', async () => {
      const account = await onboardedSeller();

      const error = await caught(stripe.transfers.create({ amount: 501_00, currency: 'usd', destination: account.id }));

      expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
      expect(error.code).toBe('balance_insufficient');
      expect(error.message).toContain('You have insufficient available funds in your Stripe account');
      expect(emulator.control.transfers()).toEqual([]);
      expect(available(emulator.control.balance())).toBe(500_00);
    });

    it('when the destination has not finished onboarding, then insufficient_capabilities_for_transfer comes back', async () => {
      const account = await createSeller();

      const error = await caught(stripe.transfers.create({ amount: 10_00, currency: 'usd', destination: account.id }));

      expect(error).toMatchObject({ code: 'insufficient_capabilities_for_transfer' });
      expect(error.message).toBe(
        'Your destination account needs to have at least one of the following capabilities enabled: transfers, crypto_transfers, legacy_payments',
      );
    });

    it('when the destination does not exist, then resource_missing names the destination param', async () => {
      const error = await caught(stripe.transfers.create({ amount: 10_00, currency: 'usd', destination: 'acct_gone' }));

      expect(error).toMatchObject({ statusCode: 400, code: 'resource_missing', param: 'destination' });
    });

    it('when a seller is restricted, then further transfers are refused', async () => {
      const account = await onboardedSeller();

      const restricted = await emulator.control.restrictAccount(account.id);

      expect(restricted.requirements.disabled_reason).toBe('under_review');
      expect(connectHook.events.at(-1)).toMatchObject({
        type: 'account.updated',
        data: { object: { capabilities: { transfers: 'inactive' } } },
      });
      expect(
        await caught(stripe.transfers.create({ amount: 1_00, currency: 'usd', destination: account.id })),
      ).toMatchObject({
        code: 'insufficient_capabilities_for_transfer',
      });
    });

    it('when transfers are listed, then they come newest first, filtered and paginated', async () => {
      const first = await onboardedSeller('U1');
      const second = await onboardedSeller('U2');
      const made: string[] = [];
      for (const [destination, group] of [
        [first.id, 'a'],
        [second.id, 'a'],
        [first.id, 'b'],
        [first.id, 'a'],
      ] as const) {
        made.push(
          (await stripe.transfers.create({ amount: 1_00, currency: 'usd', destination, transfer_group: group })).id,
        );
      }

      const page = await stripe.transfers.list({ limit: 2 });
      const mine = await stripe.transfers.list({ destination: first.id, transfer_group: 'a' });
      const all = await stripe.transfers.list({ limit: 1 }).autoPagingToArray({ limit: 10 });

      expect(page.data.map((transfer) => transfer.id)).toEqual([made[3], made[2]]);
      expect(page.has_more).toBe(true);
      expect(mine.data.map((transfer) => transfer.id)).toEqual([made[3], made[0]]);
      expect(all.map((transfer) => transfer.id)).toEqual([...made].reverse());
    });

    it('when a transfer is reversed in part through the API and then in full from control, then money returns and transfer.reversed fires each time', async () => {
      const account = await onboardedSeller();
      const transfer = await stripe.transfers.create({ amount: 100_00, currency: 'usd', destination: account.id });

      const reversal = await stripe.transfers.createReversal(transfer.id, { amount: 30_00 });
      await emulator.control.reverseTransfer(transfer.id);

      expect(reversal).toMatchObject({ object: 'transfer_reversal', amount: 30_00, transfer: transfer.id });
      expect(await stripe.transfers.retrieve(transfer.id)).toMatchObject({
        amount_reversed: 100_00,
        reversed: true,
        reversals: { total_count: 2 },
      });
      expect(available(await stripe.balance.retrieve())).toBe(500_00);
      expect(available(await stripe.balance.retrieve({}, { stripeAccount: account.id }))).toBe(0);
      expect(platformHook.events.filter((event) => event.type === 'transfer.reversed')).toHaveLength(2);
      expect(await caught(stripe.transfers.createReversal(transfer.id))).toBeInstanceOf(
        Stripe.errors.StripeInvalidRequestError,
      );
    });
  });

  describe('top-ups', () => {
    it('when a top-up settles, then its money moves from pending to available and topup.succeeded fires', async () => {
      const topup = await stripe.topups.create({
        amount: 200_00,
        currency: 'usd',
        description: 'Weekly float',
        statement_descriptor: 'PAYOUT FLOAT',
        metadata: { week: '12' },
      });
      const pending = await stripe.balance.retrieve();

      const settled = await emulator.control.settleTopup(topup.id, 'succeeded');

      expect(topup).toMatchObject({
        object: 'topup',
        status: 'pending',
        amount: 200_00,
        failure_code: null,
        metadata: { week: '12' },
      });
      expect(pending.pending.find((entry) => entry.currency === 'usd')?.amount).toBe(200_00);
      expect(settled.status).toBe('succeeded');
      expect(available(await stripe.balance.retrieve())).toBe(700_00);
      expect(platformHook.events.map((event) => event.type)).toEqual([
        'topup.created',
        'topup.succeeded',
        'balance.available',
      ]);
      expect((await stripe.topups.list({ status: 'succeeded' })).data.map((entry) => entry.id)).toEqual([topup.id]);
    });

    it('when days pass, then pending top-ups and charges are listed by available_on until they become available', async () => {
      const topup = await stripe.topups.create({ amount: 200_00, currency: 'usd' });
      const inTwoDays = Math.floor(Date.now() / 1000) + 2 * 86_400;
      emulator.control.addPendingFunds('usd', 30_00, inTwoDays);
      const pending = (await stripe.balanceTransactions.list({ limit: 10 })).data.filter(
        (txn) => txn.status === 'pending',
      );

      emulator.control.advanceClock(3 * 86_400);
      await emulator.control.releaseDueFunds();
      const charged = await stripe.balance.retrieve();
      emulator.control.advanceClock(2 * 86_400);
      await emulator.control.releaseDueFunds();

      expect(pending.map((txn) => [txn.type, txn.amount, txn.available_on])).toEqual([
        ['charge', 30_00, inTwoDays],
        ['topup', 200_00, topup.expected_availability_date],
      ]);
      expect(available(charged)).toBe(530_00);
      expect(available(await stripe.balance.retrieve())).toBe(730_00);
      expect((await stripe.topups.retrieve(topup.id)).status).toBe('succeeded');
      expect((await stripe.balanceTransactions.list({ type: 'topup' })).data[0]?.status).toBe('available');
    });

    it('when a top-up fails or is canceled, then its pending money disappears', async () => {
      const failing = await stripe.topups.create({ amount: 50_00, currency: 'usd' });
      const canceled = await stripe.topups.create({ amount: 70_00, currency: 'usd' });

      await emulator.control.settleTopup(failing.id, 'failed');
      const cancel = await stripe.topups.cancel(canceled.id);

      const balance = await stripe.balance.retrieve();
      expect(balance.pending.find((entry) => entry.currency === 'usd')?.amount).toBe(0);
      expect(available(balance)).toBe(500_00);
      expect(cancel.status).toBe('canceled');
      expect((await stripe.topups.retrieve(failing.id)).failure_code).not.toBeNull();
    });

    it('when the descriptor is too long or the currency is not the default one, then the offending param is named', async () => {
      const descriptor = await caught(
        stripe.topups.create({ amount: 1_00, currency: 'usd', statement_descriptor: 'SIXTEEN CHARS XX' }),
      );
      const foreign = await caught(stripe.topups.create({ amount: 1_00, currency: 'eur' }));

      expect(descriptor.param).toBe('statement_descriptor');
      expect(foreign.param).toBe('currency');
    });

    it('when top-ups are not enabled for the platform, then creating one is refused', async () => {
      await tearDown();
      await setUp({ platform: { topupsEnabled: false } });

      const error = await caught(stripe.topups.create({ amount: 1_00, currency: 'usd' }));

      expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
      expect(error.message).toMatch(/Top-ups are not enabled/);
    });
  });

  describe('idempotency', () => {
    it('when the same key is sent twice, then the first result is replayed with Idempotent-Replayed and one transfer exists', async () => {
      const account = await onboardedSeller();
      const params = { amount: 10_00, currency: 'usd', destination: account.id, metadata: { payout: 'P1' } };

      const first = await stripe.transfers.create(params, { idempotencyKey: 'payout-P1' });
      const again = await stripe.transfers.create(params, { idempotencyKey: 'payout-P1' });

      expect(again.id).toBe(first.id);
      expect(again.lastResponse.headers['idempotent-replayed']).toBe('true');
      expect(first.lastResponse.headers['idempotent-replayed']).toBeUndefined();
      expect(emulator.control.transfers()).toHaveLength(1);
      const logged = emulator.control.requests.filter((entry) => entry.idempotencyKey === 'payout-P1');
      expect(logged.map((entry) => entry.replayed)).toEqual([false, true]);
    });

    it('when a key is reused 24 hours later, then Stripe has forgotten it and the request runs afresh', async () => {
      const account = await onboardedSeller();
      const params = { amount: 10_00, currency: 'usd', destination: account.id };
      const first = await stripe.transfers.create(params, { idempotencyKey: 'payout-old' });
      emulator.control.advanceClock(23 * 3_600);
      expect((await stripe.transfers.create(params, { idempotencyKey: 'payout-old' })).id).toBe(first.id);
      emulator.control.advanceClock(3_600);

      const later = await stripe.transfers.create(params, { idempotencyKey: 'payout-old' });

      expect(later.id).not.toBe(first.id);
      expect(later.lastResponse.headers['idempotent-replayed']).toBeUndefined();
      expect(emulator.control.transfers()).toHaveLength(2);
    });

    it('when the same idempotency key is sent with another body, then Stripe’s idempotency_error comes back', async () => {
      const account = await onboardedSeller();
      await stripe.transfers.create(
        { amount: 10_00, currency: 'usd', destination: account.id },
        { idempotencyKey: 'payout-P1' },
      );

      const error = await caught(
        stripe.transfers.create(
          { amount: 11_00, currency: 'usd', destination: account.id },
          { idempotencyKey: 'payout-P1' },
        ),
      );

      expect(error).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
      expect(error.message).toBe(
        "Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than 'payout-P1' if you meant to execute a different request.",
      );
      expect(emulator.control.transfers()).toHaveLength(1);
    });

    it('when a refused transfer is retried with the same key after funds arrive, then the saved refusal is replayed until a new key is used', async () => {
      const account = await onboardedSeller();
      const params = { amount: 600_00, currency: 'usd', destination: account.id };
      await caught(stripe.transfers.create(params, { idempotencyKey: 'payout-big' }));
      emulator.control.setBalance('usd', 1000_00);

      const replayed = await caught(stripe.transfers.create(params, { idempotencyKey: 'payout-big' }));
      const fresh = await stripe.transfers.create(params, { idempotencyKey: 'payout-big-2' });

      expect(replayed.code).toBe('balance_insufficient');
      expect(replayed.headers?.['idempotent-replayed']).toBe('true');
      expect(fresh.amount).toBe(600_00);
    });

    it('when a second request reuses a key still being executed, then a 409 idempotency_error comes back', async () => {
      const account = await onboardedSeller();
      const params = { amount: 10_00, currency: 'usd', destination: account.id };
      emulator.control.delayNext({ method: 'POST', path: '/v1/transfers', ms: 300 });

      const slow = stripe.transfers.create(params, { idempotencyKey: 'payout-P1' });
      await new Promise((resolve) => setTimeout(resolve, 50));
      const error = await caught(stripe.transfers.create(params, { idempotencyKey: 'payout-P1' }));

      expect(error).toMatchObject({ statusCode: 409, rawType: 'idempotency_error', code: 'idempotency_key_in_use' });
      expect((await slow).amount).toBe(10_00);
      expect(emulator.control.transfers()).toHaveLength(1);
    });
  });

  describe('faults and limits', () => {
    it('when a 500 is injected and the SDK retries, then exactly one transfer is made', async () => {
      const account = await onboardedSeller();
      emulator.control.failNext({ method: 'POST', path: '/v1/transfers', status: 500 });

      const transfer = await sdk(emulator, 2).transfers.create({
        amount: 10_00,
        currency: 'usd',
        destination: account.id,
      });

      expect(emulator.control.transfers().map((entry) => entry.id)).toEqual([transfer.id]);
      const attempts = emulator.control.requests.filter((entry) => entry.endpoint === 'POST /v1/transfers');
      expect(attempts.map((entry) => [entry.status, entry.fault])).toEqual([
        [500, 'injected'],
        [200, undefined],
      ]);
      expect(attempts[0]?.idempotencyKey).toBe(attempts[1]?.idempotencyKey);
    });

    it('when the reply is lost after the transfer was made, then the SDK retry is replayed and no second transfer appears', async () => {
      const account = await onboardedSeller();
      emulator.control.failAfterSideEffect({ path: '/v1/transfers' });
      emulator.control.failAfterSideEffect({ path: '/v1/transfers', destroyConnection: true });

      const afterError = await sdk(emulator, 2).transfers.create({
        amount: 10_00,
        currency: 'usd',
        destination: account.id,
      });
      const afterDrop = await stripe.transfers.create({ amount: 20_00, currency: 'usd', destination: account.id });

      expect(afterError.lastResponse.headers['idempotent-replayed']).toBe('true');
      expect(afterDrop.lastResponse.headers['idempotent-replayed']).toBe('true');
      expect(
        emulator.control
          .transfers()
          .map((entry) => entry.id)
          .sort(),
      ).toEqual([afterError.id, afterDrop.id].sort());
      expect(emulator.control.requests.map((entry) => entry.fault).filter(Boolean)).toEqual([
        'after_side_effect',
        'connection_destroyed',
      ]);
    });

    it('when a failure says Stripe-Should-Retry: false, then the SDK gives up at once and nothing is created', async () => {
      const account = await onboardedSeller();
      emulator.control.failNext({
        path: '/v1/transfers',
        status: 503,
        headers: { 'Stripe-Should-Retry': 'false' },
        error: { type: 'api_error', message: 'Try later' },
      });

      const error = await caught(
        sdk(emulator, 2).transfers.create({ amount: 10_00, currency: 'usd', destination: account.id }),
      );

      expect(error).toBeInstanceOf(Stripe.errors.StripeAPIError);
      expect(error.message).toBe('Try later');
      expect(emulator.control.transfers()).toEqual([]);
    });

    it('when an endpoint is called past its rate limit, then 429 rate_limit comes back and is counted', async () => {
      emulator.control.setRateLimit(2);

      await stripe.balance.retrieve();
      await stripe.balance.retrieve();
      const error = await caught(stripe.balance.retrieve());
      await stripe.accounts.list();

      expect(error).toBeInstanceOf(Stripe.errors.StripeRateLimitError);
      expect(error).toMatchObject({ statusCode: 429, code: 'rate_limit' });
      expect(emulator.control.stats()).toEqual({
        requests: 4,
        rateLimited: 1,
        byEndpoint: { 'GET /v1/balance': 3, 'GET /v1/accounts': 1 },
      });
    });
  });

  describe('authentication and routing', () => {
    it('when the API key is not a secret key, then authentication fails', async () => {
      const error = await caught(sdk(emulator, 0, 'pk_test_123456789').balance.retrieve());

      expect(error).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
      expect(error.message).toBe('Invalid API Key provided: pk_test_*****6789');
      expect(error.requestId).toMatch(/^req_/);
    });

    it('when Stripe-Account names an unknown account, then a permission error comes back', async () => {
      const error = await caught(stripe.balance.retrieve({}, { stripeAccount: 'acct_stranger' }));

      expect(error).toBeInstanceOf(Stripe.errors.StripePermissionError);
      expect(error.code).toBe('account_invalid');
    });

    it('when the URL is unknown, then Stripe’s unrecognized-URL error comes back', async () => {
      const error = await caught(stripe.rawRequest('GET', '/v1/payouts_everywhere'));

      expect(error).toMatchObject({
        statusCode: 404,
        message: expect.stringMatching(/^Unrecognized request URL \(GET: \/v1\/payouts_everywhere\)/),
      });
    });

    it('when the emulator is inspected over HTTP, then its request log and state are served as JSON', async () => {
      const account = await onboardedSeller();
      await stripe.transfers.create({ amount: 5_00, currency: 'usd', destination: account.id });

      const log = (await (await fetch(`${emulator.url}/_emulator/requests`)).json()) as Array<{ path: string }>;
      const state = (await (await fetch(`${emulator.url}/_emulator/state`)).json()) as {
        balances: Record<string, Stripe.Balance>;
        transfers: unknown[];
      };

      expect(log.map((entry) => entry.path)).toEqual(['/v1/accounts', '/v1/transfers']);
      expect(state.transfers).toHaveLength(1);
      expect(state.balances[account.id]?.available[0]?.amount).toBe(5_00);
    });
  });

  describe('balance transactions', () => {
    it('when money moves (a top-up, a transfer, a reversal), then each has a balance transaction with its net, reporting category and available_on, listed newest first with filters and cursors', async () => {
      const seller = await onboardedSeller();
      const topup = await stripe.topups.create({
        amount: 100_00,
        currency: 'usd',
        metadata: { payout_ref: 'pay_rq.req_1' },
      });
      const transfer = await stripe.transfers.create({ amount: 30_00, currency: 'usd', destination: seller.id });
      const reversal = await stripe.transfers.createReversal(transfer.id, { amount: 10_00 });

      const all = await stripe.balanceTransactions.list({ limit: 10 });
      expect(all).toMatchObject({ object: 'list', url: '/v1/balance_transactions', has_more: false });
      expect(all.data.map((t) => [t.type, t.net, t.reporting_category, t.source])).toEqual([
        ['transfer_refund', 10_00, 'transfer_reversal', reversal.id],
        ['transfer', -30_00, 'transfer', transfer.id],
        ['topup', 100_00, 'topup', topup.id],
      ]);
      expect(all.data[1]!.id).toBe(transfer.balance_transaction);
      const topupTx = await stripe.balanceTransactions.retrieve(topup.balance_transaction as string);
      expect(topupTx).toMatchObject({ object: 'balance_transaction', status: 'pending', fee: 0, amount: 100_00 });
      expect(topupTx.available_on).toBeGreaterThan(topupTx.created);
      emulator.control.advanceClock(5 * 86_400);
      expect((await stripe.balanceTransactions.retrieve(topupTx.id)).status).toBe('available');

      expect((await stripe.balanceTransactions.list({ type: 'transfer' })).data.map((t) => t.source)).toEqual([
        transfer.id,
      ]);
      const page = await stripe.balanceTransactions.list({ limit: 2 });
      expect(page.has_more).toBe(true);
      const rest = await stripe.balanceTransactions.list({ limit: 2, starting_after: page.data[1]!.id });
      expect(rest.data.map((t) => t.type)).toEqual(['topup']);
      expect((await stripe.balanceTransactions.list({ created: { gt: topupTx.created + 86_400 } })).data).toHaveLength(
        0,
      );
      const sellerSide = await stripe.balanceTransactions.list({}, { stripeAccount: seller.id });
      expect(sellerSide.data.map((t) => [t.type, t.net])).toEqual([
        ['payment_refund', -10_00],
        ['payment', 30_00],
      ]);
    });
  });

  describe("a seller's bank and payouts", () => {
    it("when a seller's bank account is Stripe's failing test number, then the automatic payout fails with account_closed, the money comes back, and payout.created and payout.failed reach the Connect endpoint signed", async () => {
      const seller = await onboardedSeller();
      expect((await stripe.accounts.listExternalAccounts(seller.id)).data).toMatchObject([
        { object: 'bank_account', last4: '6789', default_for_currency: true },
      ]);
      await stripe.transfers.create({ amount: 25_00, currency: 'usd', destination: seller.id });
      const old = (await stripe.accounts.listExternalAccounts(seller.id)).data[0]!;
      const bank = await emulator.control.changeBankAccount(seller.id, '000111111116');
      expect((await stripe.accounts.listExternalAccounts(seller.id)).data.map((b) => b.id)).toEqual([bank.id]);

      const payout = await emulator.control.payOut(seller.id);
      expect(payout).toMatchObject({
        status: 'failed',
        failure_code: 'account_closed',
        amount: 25_00,
        destination: bank.id,
        automatic: true,
      });
      expect(available(await stripe.balance.retrieve({}, { stripeAccount: seller.id }))).toBe(25_00);
      expect((await stripe.payouts.list({}, { stripeAccount: seller.id })).data.map((p) => p.id)).toEqual([payout!.id]);
      expect(await stripe.payouts.retrieve(payout!.id, {}, { stripeAccount: seller.id })).toMatchObject({
        status: 'failed',
        failure_message: expect.stringContaining('closed'),
      });
      expect(connectHook.events.slice(-4).map((e) => [e.type, e.account])).toEqual([
        ['account.external_account.created', seller.id],
        ['account.external_account.deleted', seller.id],
        ['payout.created', seller.id],
        ['payout.failed', seller.id],
      ]);
      expect(connectHook.events.at(-3)?.data.object).toMatchObject({ id: old.id });

      await emulator.control.changeBankAccount(seller.id, '000123456789');
      expect(await emulator.control.payOut(seller.id)).toMatchObject({ status: 'paid', failure_code: null });
      expect(connectHook.events.at(-1)?.type).toBe('payout.paid');
    });

    it('when a seller adds a bank account through the API, then it is listed; a bad number is refused', async () => {
      const seller = await onboardedSeller();
      const added = await stripe.accounts.createExternalAccount(seller.id, {
        external_account: {
          object: 'bank_account',
          country: 'US',
          currency: 'usd',
          account_number: '000123456789',
          routing_number: '110000000',
        } as unknown as string,
      });
      expect(added).toMatchObject({ object: 'bank_account', last4: '6789' });
      expect((await stripe.accounts.listExternalAccounts(seller.id)).data).toHaveLength(2);
      const refused = await caught(
        stripe.accounts.createExternalAccount(seller.id, {
          external_account: { object: 'bank_account', account_number: '12ab' } as unknown as string,
        }),
      );
      expect(refused.code).toBe('account_number_invalid');
    });

    it('when a seller disconnects, then account.application.deauthorized is sent and the platform can no longer reach or pay the account', async () => {
      const seller = await onboardedSeller();
      await emulator.control.deauthorize(seller.id);
      expect(connectHook.events.at(-1)).toMatchObject({
        type: 'account.application.deauthorized',
        account: seller.id,
        data: { object: { object: 'application' } },
      });
      expect((await caught(stripe.balance.retrieve({}, { stripeAccount: seller.id }))).statusCode).toBe(403);
      expect((await caught(stripe.accounts.createLoginLink(seller.id))).statusCode).toBe(403);
      expect(
        (await caught(stripe.transfers.create({ amount: 1_00, currency: 'usd', destination: seller.id }))).code,
      ).toBe('account_invalid');
    });
  });

  describe('webhook delivery', () => {
    it('when an endpoint fails at first, then the delivery is retried and every answer is recorded', async () => {
      const flaky = await startReceiver(PLATFORM_SECRET, [500, 503]);
      emulator.control.addWebhookEndpoint({
        url: flaky.url,
        secret: PLATFORM_SECRET,
        connect: false,
        enabledEvents: ['topup.created'],
      });

      await stripe.topups.create({ amount: 1_00, currency: 'usd' });
      await emulator.control.drainWebhooks();
      await flaky.close();

      const [record] = emulator.control.events();
      expect(flaky.events.map((event) => event.type)).toEqual(['topup.created']);
      expect(record?.deliveries.find((delivery) => delivery.url === flaky.url)).toMatchObject({
        delivered: true,
        attempts: [{ status: 500 }, { status: 503 }, { status: 200 }],
      });
    });

    it('when an event is redelivered, then the endpoint sees the same event id again', async () => {
      const topup = await stripe.topups.create({ amount: 1_00, currency: 'usd' });
      await emulator.control.drainWebhooks();
      const [record] = emulator.control.events();

      await emulator.control.redeliver(record?.event.id ?? '');

      expect(platformHook.events.map((event) => [event.id, (event.data.object as Stripe.Topup).id])).toEqual([
        [record?.event.id, topup.id],
        [record?.event.id, topup.id],
      ]);
    });

    it('when a payload is signed with the wrong secret or too long ago, then constructEvent rejects it', async () => {
      const payload = JSON.stringify({
        id: 'evt_forged',
        object: 'event',
        type: 'transfer.created',
        data: { object: {} },
      });

      const forged = await sendSignedRaw(platformHook.url, 'whsec_wrong', payload);
      const tenMinutesAgo = Math.floor(Date.now() / 1000) - 600;
      const stale = await sendSignedRaw(platformHook.url, PLATFORM_SECRET, payload, { timestamp: tenMinutesAgo });
      const genuine = await sendSignedRaw(platformHook.url, PLATFORM_SECRET, payload);

      expect([forged.status, stale.status, genuine.status]).toEqual([400, 400, 200]);
      expect(platformHook.events.map((event) => event.id)).toEqual(['evt_forged']);
    });
  });
});

import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';
import { CHANNELS, PEOPLE, SIGNING_SECRET, startHarness, type Harness } from '../emulators/local-stack.js';
import type { FakeSlack } from '../emulators/slack/fake-slack.js';
import { createSlackSender, type SlackSender } from '../emulators/slack/signed-requests.js';
import { onboardPayableSeller } from '../test/support/onboarding.js';
import { ms, ratio, summarize, type Summary } from './stats.js';
import type { Benchmark, BenchResult } from './types.js';

export interface AckLatencyOptions {
  /** Slash commands in flight at once, per wave. */
  concurrency?: number;
  /** Counted waves per target. */
  waves?: number;
  /** Waves sent first and not counted (JIT, sockets, Redis scripts). */
  warmupWaves?: number;
  /** How long to wait for the bot to post a wave's approval messages before giving up on that wave. */
  settleTimeoutMs?: number;
}

const COMMAND_TEXT = `transfer <@${PEOPLE.seller1}|ana> 1.00 eur bench`;

/** One thing the waves are sent to, and what it measured. */
interface Target {
  label: string;
  sender: SlackSender;
  /** Resolves true once the work behind everything sent so far is done (false: gave up waiting). */
  settle(sentSoFar: number): Promise<boolean>;
  sent: number;
  samples: number[];
  non200: number;
  /** auth.test calls the fake Slack received while this target's waves were in flight. */
  authTests: number;
}

async function until(probe: () => boolean, timeoutMs: number, intervalMs = 10): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return true;
}

/** `concurrency` signed `/payout transfer` commands at once; every round trip until the ack is timed by the sender. */
async function wave(target: Target, concurrency: number, counted: boolean, authTestCalls: () => number): Promise<void> {
  const authTestsBefore = authTestCalls();
  const settled = await Promise.allSettled(
    Array.from({ length: concurrency }, () => target.sender.slashCommand({ text: COMMAND_TEXT, userId: PEOPLE.requester, channelId: CHANNELS.general })),
  );
  target.sent += concurrency;
  target.authTests += authTestCalls() - authTestsBefore;
  for (const outcome of settled) {
    if (outcome.status === 'rejected') throw new Error(`${target.label}: a slash command request failed`, { cause: outcome.reason });
    if (outcome.value.status !== 200) target.non200 += 1;
    if (counted) target.samples.push(outcome.value.elapsedMs);
  }
}

/**
 * A Bolt app whose only listener acks `/payout`. With `tokenVerificationEnabled: false`, Bolt 5.1 calls auth.test
 * lazily on EVERY request (its cache is overwritten each time), so each ack waits for a Web API round trip; with
 * verification on (the default, and what payout-ops does) auth.test runs once at start-up. The latter is the floor.
 */
async function startBareBolt(apiUrl: string, tokenVerificationEnabled: boolean, fakeSlack: FakeSlack): Promise<{ sender: SlackSender; stop(): Promise<void> }> {
  const app = new App({
    signingSecret: SIGNING_SECRET,
    token: fakeSlack.botToken,
    tokenVerificationEnabled,
    clientOptions: { slackApiUrl: apiUrl },
    logLevel: LogLevel.ERROR,
  });
  app.command('/payout', async ({ ack }) => ack());
  const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
  const { port } = server.address() as AddressInfo;
  return {
    // Same sender code and payloads as for payout-ops (response_urls minted by the fake, never called here).
    sender: createSlackSender({ appUrl: `http://127.0.0.1:${port}/slack/events`, signingSecret: SIGNING_SECRET, fakeSlack }),
    stop: async () => {
      await app.stop();
    },
  };
}

function figures(prefix: string, target: Target): BenchResult {
  const s: Summary = summarize(target.samples);
  return {
    [`${prefix}.samples`]: s.samples,
    [`${prefix}.p50Ms`]: ms(s.p50),
    [`${prefix}.p90Ms`]: ms(s.p90),
    [`${prefix}.p99Ms`]: ms(s.p99),
    [`${prefix}.maxMs`]: ms(s.max),
    [`${prefix}.non200`]: target.non200,
    [`${prefix}.authTestCalls`]: target.authTests,
  };
}

/**
 * Ack latency of `/payout transfer` with `concurrency` commands in flight, against bare Bolt apps that only ack,
 * in one process at one moment, driven by the same sender code. Ratios are payout-ops over `bare` (auth.test once,
 * as payout-ops); `bareLazyAuth` is the same app with `tokenVerificationEnabled: false`, shown for reference.
 * Everything (senders, bot, Redis client, emulators) shares one event loop, so figures include client-side queueing.
 */
export function ackLatency(options: AckLatencyOptions = {}): Benchmark {
  const concurrency = options.concurrency ?? 50;
  const waves = options.waves ?? 10;
  const warmupWaves = options.warmupWaves ?? 1;
  const settleTimeoutMs = options.settleTimeoutMs ?? 20_000;
  return {
    name: 'ack-latency',
    description: `/payout transfer ack round trip, ${concurrency} concurrent, ${waves} waves after ${warmupWaves} warm-up, payout-ops vs bare Bolt (ratios vs bare)`,
    async run() {
      let h: Harness | undefined;
      const bares: Awaited<ReturnType<typeof startBareBolt>>[] = [];
      try {
        h = await startHarness({ env: { LOG_LEVEL: 'warn' } });
        const harness = h;
        await onboardPayableSeller(harness);
        const bare = await startBareBolt(harness.slack.apiUrl, true, harness.slack);
        bares.push(bare);
        const bareLazy = await startBareBolt(harness.slack.apiUrl, false, harness.slack);
        bares.push(bareLazy);

        const approvalsBefore = harness.slack.messages(CHANNELS.approvals).length;
        const repliesBefore = harness.slack.ephemerals(PEOPLE.requester).length;
        const approvalsNow = () => harness.slack.messages(CHANNELS.approvals).length - approvalsBefore;
        const repliesNow = () => harness.slack.ephemerals(PEOPLE.requester).length - repliesBefore;
        const authTestCalls = () => harness.slack.callsTo('auth.test').length;
        let settleTimeouts = 0;

        const target = (label: string, sender: SlackSender, settle: Target['settle'] = async () => true): Target => ({ label, sender, settle, sent: 0, samples: [], non200: 0, authTests: 0 });
        // The ack comes first; wait for the approval message and the requester's reply behind every command sent.
        const payoutOps = target('payout-ops', harness.sender, (sentSoFar) => until(() => approvalsNow() >= sentSoFar && repliesNow() >= sentSoFar, settleTimeoutMs));
        const bareBolt = target('bare', bare.sender);
        const bareLazyAuth = target('bare, tokenVerificationEnabled: false', bareLazy.sender);
        const targets = [payoutOps, bareBolt, bareLazyAuth];

        for (let round = 0; round < warmupWaves + waves; round++) {
          const counted = round >= warmupWaves;
          // Rotate who goes first so that no target always runs right after the same other one.
          const order = targets.map((_, i) => targets[(i + round) % targets.length]!);
          for (const t of order) {
            await wave(t, concurrency, counted, authTestCalls);
            if (!(await t.settle(t.sent))) settleTimeouts += 1;
          }
        }

        const ops = summarize(payoutOps.samples);
        const base = summarize(bareBolt.samples);
        const created = approvalsNow();
        const otherReplies = harness.slack.ephemerals(PEOPLE.requester).slice(repliesBefore).filter((e) => !e.text?.includes('Asked for approval')).length;
        const warnings = harness.logs.lines.filter((line) => typeof line.level === 'number' && line.level >= 40);
        for (const line of warnings.slice(0, 3)) console.error(`payout-ops logged: ${JSON.stringify(line)}`);

        return {
          concurrency,
          waves,
          warmupWaves,
          ...figures('payoutOps', payoutOps),
          ...figures('bare', bareBolt),
          ...figures('bareLazyAuth', bareLazyAuth),
          'ratio.p50': ratio(ops.p50, base.p50),
          'ratio.p99': ratio(ops.p99, base.p99),
          'payoutOps.acksOver3s': payoutOps.samples.filter((x) => x >= 3_000).length,
          'payoutOps.otherReplies': otherReplies,
          'payoutOps.warnLogs': warnings.length,
          settleTimeouts,
          'approvals.sent': payoutOps.sent,
          'approvals.created': created,
          'approvals.check': created === payoutOps.sent ? 'ok' : 'MISMATCH',
        };
      } finally {
        for (const b of bares) await b.stop().catch((error: unknown) => console.error('ack-latency: stopping a bare Bolt app failed:', error));
        await h?.stop().catch((error: unknown) => console.error('ack-latency: stopping the harness failed:', error));
      }
    },
  };
}

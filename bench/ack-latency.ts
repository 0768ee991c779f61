import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { CHANNELS, type Harness, PEOPLE, SIGNING_SECRET, startHarness } from '../emulators/local-stack.js';
import { sparePort } from '../emulators/loopback.js';
import { createSlackSender, type SlackSender } from '../emulators/slack/signed-requests.js';
import { onboardPayableSeller } from '../test/support/onboarding.js';
import { median, ms, ratio, type Summary, summarize } from './stats.js';
import type { Benchmark, BenchResult } from './types.js';
import { startWorkerChild, type WorkerChild } from './worker-child.js';

export interface AckLatencyOptions {
  /** Slash commands in flight at once (per wave, and all along in the sustained mode). */
  concurrency?: number;
  /** Counted waves per target. */
  waves?: number;
  /** Waves sent first and not counted (JIT, sockets, Redis scripts). */
  warmupWaves?: number;
  /** Counted requests per target and round in the sustained mode, after `concurrency * 2` not counted. */
  sustainedRequests?: number;
  /** Sustained rounds, each target once per round: the ratios are the median of the rounds' (see below). */
  sustainedRounds?: number;
  /** How long to wait for the bot to post the approval messages behind what was sent before giving up. */
  settleTimeoutMs?: number;
}

/** Goals (issue 15): sustained p99 within 1.5× bare Bolt's; the web role's peak RSS at most 150 MB. */
const GOAL_P99_RATIO = 1.5;
const GOAL_WEB_RSS_MB = 150;

const COMMAND_TEXT = `transfer <@${PEOPLE.seller1}|ana> 1.00 eur bench`;

/** One thing the commands are sent to, and what it measured. */
interface Target {
  label: string;
  sender: SlackSender;
  /** Resolves true once the work behind everything sent so far is done (false: gave up waiting). */
  settle(sentSoFar: number): Promise<boolean>;
  sent: number;
  /** Sustained: one list per round. */
  samples: { waves: number[]; sustained: number[][] };
  non200: number;
}

async function until(probe: () => boolean, timeoutMs: number, intervalMs = 10): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return true;
}

async function send(target: Target, into: number[] | undefined): Promise<void> {
  const res = await target.sender.slashCommand({
    text: COMMAND_TEXT,
    userId: PEOPLE.requester,
    channelId: CHANNELS.general,
  });
  target.sent += 1;
  if (res.status !== 200) target.non200 += 1;
  into?.push(res.elapsedMs);
}

/** `concurrency` commands at once, then wait for all of them: the background work drains between waves. */
async function wave(target: Target, concurrency: number, counted: boolean): Promise<void> {
  await Promise.all(
    Array.from({ length: concurrency }, () => send(target, counted ? target.samples.waves : undefined)),
  );
}

/** `concurrency` lanes, each sending its next command as soon as its last one was acked: always that many in flight. */
async function sustained(target: Target, concurrency: number, total: number, counted: boolean): Promise<void> {
  if (counted) target.samples.sustained.push([]);
  let started = 0;
  const lane = async () => {
    while (started < total) {
      started += 1;
      await send(target, counted ? target.samples.sustained.at(-1) : undefined);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
}

const senderFor = (h: Harness, port: number) =>
  createSlackSender({
    appUrl: `http://127.0.0.1:${port}/slack/events`,
    signingSecret: SIGNING_SECRET,
    fakeSlack: h.slack,
  });

/**
 * A Bolt app that only acks, in its own process. With `tokenVerificationEnabled: false`, Bolt 5.1 calls auth.test
 * lazily on EVERY request, so each ack waits for a Web API round trip; with verification on (the default, and what
 * payout-ops does) auth.test runs once at start-up. The latter is the floor.
 */
async function startBareBolt(h: Harness, tokenVerification: boolean): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/bare-bolt-child.ts'], {
    env: {
      ...process.env,
      SIGNING_SECRET,
      BOT_TOKEN: h.slack.botToken,
      SLACK_API_URL: h.slack.apiUrl,
      TOKEN_VERIFICATION: String(tokenVerification),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /^PORT (\d+)$/.exec(line);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`the bare Bolt process exited (${code}) before listening`)));
  });
  return { child, port };
}

/** payout-ops' web role in its own process, as deployed; resolves once /healthz answers. */
async function startWebRole(h: Harness): Promise<{ child: WorkerChild; port: number }> {
  const port = await sparePort();
  const child = startWorkerChild(h, { ROLE: 'web', PORT: String(port) });
  const healthy = async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined))?.status === 200;
  const deadline = Date.now() + 30_000;
  while (!(await healthy())) {
    if (Date.now() > deadline) throw new Error('the payout-ops web role did not answer /healthz within 30 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { child, port };
}

function figures(prefix: string, samples: number[]): { summary: Summary; result: BenchResult } {
  const s = summarize(samples);
  return {
    summary: s,
    result: {
      [`${prefix}.samples`]: s.samples,
      [`${prefix}.p50Ms`]: ms(s.p50),
      [`${prefix}.p90Ms`]: ms(s.p90),
      [`${prefix}.p99Ms`]: ms(s.p99),
      [`${prefix}.maxMs`]: ms(s.max),
    },
  };
}

/**
 * Ack latency of `/payout transfer` against bare Bolt apps that only ack, each in its own process, driven by the
 * same sender code from the bench process (which also hosts the emulators payout-ops calls). Two shapes of load:
 * waves (`concurrency` at once, then wait until the bot's work behind them is done) and sustained (always
 * `concurrency` in flight, a new one as each returns), where the post-ack work competes with the next acks.
 * Ratios are payout-ops over `bare` (auth.test once, as payout-ops); `bareLazyAuth` is shown for reference.
 */
export function ackLatency(options: AckLatencyOptions = {}): Benchmark {
  const concurrency = options.concurrency ?? 50;
  const waves = options.waves ?? 10;
  const warmupWaves = options.warmupWaves ?? 1;
  const sustainedRequests = options.sustainedRequests ?? 1_500;
  const sustainedRounds = options.sustainedRounds ?? 3;
  const settleTimeoutMs = options.settleTimeoutMs ?? 30_000;
  return {
    name: 'ack-latency',
    description: `/payout transfer ack round trip, ${concurrency} in flight: ${waves} waves after ${warmupWaves} warm-up, then ${sustainedRequests} sustained × ${sustainedRounds} rounds; payout-ops' web role vs bare Bolt, each its own process; goals: sustained p99 ≤ ${GOAL_P99_RATIO}× bare, web role ≤ ${GOAL_WEB_RSS_MB} MB`,
    async run() {
      let h: Harness | undefined;
      let web: WorkerChild | undefined;
      const bares: ChildProcess[] = [];
      try {
        h = await startHarness({ env: { ROLE: 'web', LOG_LEVEL: 'warn' } });
        const harness = h;
        await onboardPayableSeller(harness);
        const webRole = await startWebRole(harness);
        web = webRole.child;
        const bare = await startBareBolt(harness, true);
        bares.push(bare.child);
        const bareLazy = await startBareBolt(harness, false);
        bares.push(bareLazy.child);

        const approvalsBefore = harness.slack.messages(CHANNELS.approvals).length;
        const repliesBefore = harness.slack.ephemerals(PEOPLE.requester).length;
        const approvalsNow = () => harness.slack.messages(CHANNELS.approvals).length - approvalsBefore;
        const repliesNow = () => harness.slack.ephemerals(PEOPLE.requester).length - repliesBefore;
        let settleTimeouts = 0;

        const target = (label: string, port: number, settle: Target['settle'] = async () => true): Target => ({
          label,
          sender: senderFor(harness, port),
          settle,
          sent: 0,
          samples: { waves: [], sustained: [] },
          non200: 0,
        });
        // The ack comes first; the approval message and the requester's reply follow every command sent.
        const payoutOps = target('payout-ops', webRole.port, (sentSoFar) =>
          until(() => approvalsNow() >= sentSoFar && repliesNow() >= sentSoFar, settleTimeoutMs),
        );
        const bareBolt = target('bare', bare.port);
        const bareLazyAuth = target('bare, tokenVerificationEnabled: false', bareLazy.port);
        const targets = [payoutOps, bareBolt, bareLazyAuth];
        const settle = async (t: Target) => {
          if (!(await t.settle(t.sent))) settleTimeouts += 1;
        };

        for (let round = 0; round < warmupWaves + waves; round++) {
          // Rotate who goes first so that no target always runs right after the same other one.
          for (const t of targets.map((_, i) => targets[(i + round) % targets.length]!)) {
            await wave(t, concurrency, round >= warmupWaves);
            await settle(t);
          }
        }
        // Load on a shared machine drifts: each round gives every target the same load, in a rotating order, and the
        // median of the rounds' ratios is taken, so one noisy stretch during one target's turn does not decide it.
        for (let round = 0; round < sustainedRounds; round++) {
          for (const t of targets.map((_, i) => targets[(i + round) % targets.length]!)) {
            await sustained(t, concurrency, concurrency * 2, false);
            await sustained(t, concurrency, sustainedRequests, true);
            await settle(t);
          }
        }

        const rss = web.peakRss();
        const created = approvalsNow();
        const otherReplies = harness.slack
          .ephemerals(PEOPLE.requester)
          .slice(repliesBefore)
          .filter((e) => !e.text?.includes('Asked for approval')).length;
        for (const line of web.logLines.slice(0, 3)) console.error(`payout-ops logged: ${line}`);

        const result: BenchResult = { concurrency, waves, warmupWaves, sustainedRequests, sustainedRounds };
        const ratios: BenchResult = {};
        const pooled = (t: Target, mode: 'waves' | 'sustained') =>
          mode === 'waves' ? t.samples.waves : t.samples.sustained.flat();
        for (const mode of ['waves', 'sustained'] as const) {
          const ops = figures(`${mode}.payoutOps`, pooled(payoutOps, mode));
          const base = figures(`${mode}.bare`, pooled(bareBolt, mode));
          Object.assign(
            result,
            ops.result,
            base.result,
            figures(`${mode}.bareLazyAuth`, pooled(bareLazyAuth, mode)).result,
          );
          ratios[`${mode}.ratio.p50`] = ratio(ops.summary.p50, base.summary.p50);
          ratios[`${mode}.ratio.p99`] = ratio(ops.summary.p99, base.summary.p99);
        }
        const roundRatios = payoutOps.samples.sustained.map((ops, round) =>
          ratio(summarize(ops).p99, summarize(bareBolt.samples.sustained[round]!).p99),
        );
        const sustainedP99 = median(roundRatios);
        ratios['sustained.ratio.p99.rounds'] = roundRatios.join(' / ');
        ratios['sustained.ratio.p99'] = sustainedP99;
        return {
          ...result,
          ...ratios,
          'goal.sustained.ratio.p99': GOAL_P99_RATIO,
          'goal.sustained.ratio.p99.check': sustainedP99 <= GOAL_P99_RATIO ? 'met' : 'not met',
          'webRole.peakRssMb': rss.hwmMb,
          'goal.webRole.peakRssMb': GOAL_WEB_RSS_MB,
          'goal.webRole.peakRssMb.check': rss.hwmMb <= GOAL_WEB_RSS_MB ? 'met' : 'not met',
          'payoutOps.non200': payoutOps.non200,
          'payoutOps.acksOver3s': [...pooled(payoutOps, 'waves'), ...pooled(payoutOps, 'sustained')].filter(
            (x) => x >= 3_000,
          ).length,
          'payoutOps.otherReplies': otherReplies,
          'payoutOps.warnLogs': web.logLines.length,
          settleTimeouts,
          'approvals.sent': payoutOps.sent,
          'approvals.created': created,
          'approvals.check': created === payoutOps.sent ? 'ok' : 'MISMATCH',
        };
      } finally {
        for (const child of bares) child.kill('SIGTERM');
        await web?.stop().catch((error: unknown) => console.error('ack-latency: stopping the web role failed:', error));
        await h?.stop().catch((error: unknown) => console.error('ack-latency: stopping the harness failed:', error));
      }
    },
  };
}

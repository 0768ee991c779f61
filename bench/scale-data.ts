import { performance } from 'node:perf_hooks';
import { CHANNELS, type Harness, messageText, PEOPLE, startHarness } from '../emulators/local-stack.js';
import { processSweep } from '../jobs/sweep.processor.js';
import { createRedisRequestStore } from '../src/adapters/redis/request-store.js';
import { createRedisSellerStore } from '../src/adapters/redis/seller-store.js';
import type { Seller } from '../src/domain/sellers.types.js';
import { openTransfer, seedPlan, sellerRecord } from '../test/support/scale.js';
import { ms, ratio, summarize } from './stats.js';
import type { Benchmark, BenchResult } from './types.js';

export interface ScaleDataOptions {
  sellers?: number;
  pickerQueries?: number;
  pageReads?: number;
  closedRequests?: number;
  openRequests?: number;
  csvLines?: number;
}

const TEAM = 'T0TEAM';
const FIRST = [
  'Ána',
  'Bruno',
  'Chloé',
  'Dmitri',
  'Élodie',
  'Fatima',
  'Görkem',
  'Hiroshi',
  'Inès',
  'José',
  'Katarzyna',
  'Lars',
  'María',
  'Nikolaï',
  'Øyvind',
  'Paulo',
  'Quentin',
  'Renée',
  'Søren',
  'Tomás',
  'Ulla',
  'Václav',
  'Wei',
  'Xavier',
  'Yusuf',
  'Zoë',
];
const LAST = [
  'López',
  'Müller',
  'Dubois',
  'Nowak',
  'Ångström',
  'Rossi',
  'Yılmaz',
  'Tanaka',
  'García',
  'Smith',
  'Kowalski',
  'Novák',
  'Jensen',
  'Silva',
  'Öztürk',
  'Chen',
  'Ivanova',
  'Murphy',
  'Haddad',
  'Costa',
];

/** A deterministic spread of names, so runs compare. */
const nameOf = (i: number) => `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]} ${i}`;

/** What a person types into the picker: the first 1–4 letters of a seller's first or last name. */
function typed(i: number): string {
  const words = nameOf((i * 7_919) % 50_000).split(' ');
  const word = words[i % 2]!;
  return word.slice(0, 1 + (i % 4));
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

const p99 = (samples: number[]) => ms(summarize(samples).p99);
const p50 = (samples: number[]) => ms(summarize(samples).p50);
const verdict = (value: number, goal: number) => (value < goal ? 'met' : 'NOT met');

/**
 * Marketplace scale, seeded through the stores (not Slack): 50,000 sellers and a 50,000-line plan. Measures, through
 * signed Slack requests to the web role: the seller picker's options, one page of `/payout sellers` and `/payout plan`
 * (command to reply), `/payout run` of the whole plan and the Approve click (to the ack, and to the card), the sweeper
 * with 100,000 closed requests against none, and a 50,000-line CSV file (to the ack, and to the run request).
 */
export function scaleData(options: ScaleDataOptions = {}): Benchmark {
  const count = options.sellers ?? 50_000;
  const pickerQueries = options.pickerQueries ?? 300;
  const pageReads = options.pageReads ?? 40;
  const closedRequests = options.closedRequests ?? 100_000;
  const openRequests = options.openRequests ?? 10;
  const csvLines = options.csvLines ?? 50_000;
  return {
    name: 'scale-data',
    description: `${count} sellers, a ${count}-line plan, ${closedRequests} closed requests, a ${csvLines}-line CSV (web role, signed Slack requests)`,
    async run(): Promise<BenchResult> {
      let h: Harness | undefined;
      try {
        h = await startHarness({
          env: { ROLE: 'web', LOG_LEVEL: 'warn' },
          stripe: { balances: { usd: 5_000_00, eur: 1_000_000_000_00 } },
        });
        const harness = h;
        const redis = harness.bot.deps.redis;

        // Seeding, through the stores.
        const store = createRedisSellerStore(redis);
        const sellers: Seller[] = Array.from({ length: count }, (_, i) =>
          sellerRecord(TEAM, `U${String(i).padStart(8, '0')}`, nameOf(i)),
        );
        const seeded = await timed(async () => {
          for (let i = 0; i < sellers.length; i += 500)
            await Promise.all(sellers.slice(i, i + 500).map((s) => store.createIfAbsent(s)));
          await seedPlan(redis, sellers, 500);
        });

        // The seller picker, one keystroke at a time as Slack sends them.
        const picker: number[] = [];
        let fullAnswers = 0;
        for (let i = 0; i < pickerQueries; i++) {
          const res = await harness.sender.blockSuggestion({
            userId: PEOPLE.requester,
            actionId: 'seller_picker',
            blockId: 'money_seller',
            value: typed(i),
            viewCallbackId: 'transfer_modal',
          });
          const options = (res.json as { options: unknown[] }).options;
          if (res.status !== 200 || options.length > 100)
            throw new Error(`picker answered ${res.status} with ${options.length} options`);
          if (options.length === 100) fullAnswers++;
          picker.push(res.elapsedMs);
        }

        // A page of sellers and of the plan: from the command to the reply in Slack.
        const replyTime = async (text: string) => {
          const before = harness.slack.ephemerals(PEOPLE.requester).length;
          const started = performance.now();
          await harness.sender.slashCommand({ text, userId: PEOPLE.requester, channelId: CHANNELS.general });
          const reply = await harness.slack.waitFor(() => harness.slack.ephemerals(PEOPLE.requester)[before], {
            intervalMs: 1,
            timeoutMs: 30_000,
          });
          if (!messageText(reply).includes('page'))
            throw new Error(`no page in the reply to ${text}: ${messageText(reply).slice(0, 200)}`);
          return performance.now() - started;
        };
        const pages = Math.ceil(count / 100);
        const sellerPages: number[] = [];
        const planPages: number[] = [];
        for (let i = 0; i < pageReads; i++) {
          sellerPages.push(await replyTime(`sellers ${1 + ((i * 37) % pages)}`));
          planPages.push(await replyTime(`plan ${1 + ((i * 53) % pages)}`));
        }

        // The sweeper, before any run request is open: the open requests only, then with 100,000 closed ones stored beside them.
        const requests = createRedisRequestStore(redis);
        const now = new Date();
        for (let i = 0; i < openRequests; i++)
          await requests.create(openTransfer(`req_bench_open_${i}`, now), PEOPLE.requester);
        const sweep = async () => {
          const samples: number[] = [];
          for (let i = 0; i < 7; i++) samples.push((await timed(() => processSweep(harness.bot.deps))).ms);
          return summarize(samples).p50;
        };
        const sweepOpenOnly = await sweep();
        const closing = await timed(async () => {
          for (let i = 0; i < closedRequests; i += 1_000) {
            await Promise.all(
              Array.from({ length: Math.min(1_000, closedRequests - i) }, async (_, k) => {
                const id = `req_bench_closed_${i + k}`;
                await requests.create(openTransfer(id, now), PEOPLE.requester);
                await requests.transition(id, (r) => ({ ...r, state: 'rejected', updatedAt: now.toISOString() }), {
                  actor: 'bench',
                  action: 'bench.closed',
                });
              }),
            );
          }
        });
        const sweepWithClosed = await sweep();

        // `/payout run` of the whole plan: the ack, the approval card, then the Approve click's ack.
        const runCommandAck: number[] = [];
        const runCard: number[] = [];
        const approveAck: number[] = [];
        for (let i = 0; i < 3; i++) {
          const posted = harness.slack.messages(CHANNELS.approvals).length;
          const started = performance.now();
          const res = await harness.sender.slashCommand({
            text: 'run',
            userId: PEOPLE.requester,
            channelId: CHANNELS.general,
          });
          runCommandAck.push(res.elapsedMs);
          const card = await harness.slack.waitFor(() => harness.slack.messages(CHANNELS.approvals)[posted], {
            intervalMs: 1,
            timeoutMs: 120_000,
          });
          runCard.push(performance.now() - started);
          const requestId = /Request `(req_\w+)`/.exec(messageText(card))?.[1];
          if (!requestId) throw new Error('the run card names no request');
          const click = await harness.sender.blockAction({
            userId: PEOPLE.approver1,
            actionId: 'request_approve',
            value: requestId,
            channelId: CHANNELS.approvals,
            messageTs: card.ts,
          });
          approveAck.push(click.elapsedMs);
          await harness.slack
            .waitFor(() => (harness.slack.message(CHANNELS.approvals, card.ts)?.updatedCount ?? 0) > 0 || undefined, {
              timeoutMs: 120_000,
            })
            .catch(() => undefined);
        }

        // A 50,000-line CSV file: the ack, then the run request's card.
        await harness.sender.slashCommand({ text: 'run csv', userId: PEOPLE.requester, channelId: CHANNELS.general });
        const view = await harness.slack.waitFor(
          () =>
            harness.slack
              .views()
              .filter((v) => v.callback_id === 'run_csv_modal')
              .at(-1),
          { timeoutMs: 10_000 },
        );
        const csv = Array.from(
          { length: csvLines },
          (_, i) => `${sellers[i % sellers.length]!.userId},${(1 + (i % 900) / 100).toFixed(2)},eur,line ${i + 1}`,
        ).join('\n');
        const file = harness.slack.storeFile({ filename: 'batch.csv', content: Buffer.from(csv) });
        const posted = harness.slack.messages(CHANNELS.approvals).length;
        const started = performance.now();
        const submitted = await harness.sender.viewSubmission({
          userId: PEOPLE.requester,
          callbackId: 'run_csv_modal',
          viewId: view.id,
          values: { csv_file: { file: { type: 'file_input', files: [file] } } },
        });
        const card = await harness.slack.waitFor(() => harness.slack.messages(CHANNELS.approvals)[posted], {
          intervalMs: 5,
          timeoutMs: 180_000,
        });
        const csvResultMs = performance.now() - started;
        const csvPayments =
          /in (\d+) payments/.exec(messageText(card))?.[1] ?? /pay (\d+) sellers/.exec(messageText(card))?.[1];

        const pickerP99 = p99(picker);
        const runAckMax = Math.max(...runCommandAck, ...approveAck);
        return {
          sellers: count,
          seedSeconds: Math.round(seeded.ms / 100) / 10,
          'picker.queries': pickerQueries,
          'picker.answersCappedAt100': fullAnswers,
          'picker.p50Ms': p50(picker),
          'picker.p99Ms': pickerP99,
          'picker.goalP99Ms': 300,
          'picker.goal': verdict(pickerP99, 300),
          'sellersPage.p50Ms': p50(sellerPages),
          'sellersPage.p99Ms': p99(sellerPages),
          'planPage.p50Ms': p50(planPages),
          'planPage.p99Ms': p99(planPages),
          'runOfPlan.commandAckMaxMs': ms(Math.max(...runCommandAck)),
          'runOfPlan.cardMaxMs': ms(Math.max(...runCard)),
          'runOfPlan.approveAckMaxMs': ms(Math.max(...approveAck)),
          'runOfPlan.goalAckMs': 1_000,
          'runOfPlan.goal': verdict(runAckMax, 1_000),
          'sweep.openRequests': openRequests,
          'sweep.openOnlyMs': ms(sweepOpenOnly),
          'sweep.closedRequests': closedRequests,
          'sweep.closedSeedSeconds': Math.round(closing.ms / 100) / 10,
          'sweep.withClosedMs': ms(sweepWithClosed),
          'sweep.ratio': ratio(sweepWithClosed, sweepOpenOnly),
          'csv.lines': csvLines,
          'csv.ackMs': ms(submitted.elapsedMs),
          'csv.goalAckMs': 3_000,
          'csv.goal': verdict(submitted.elapsedMs, 3_000),
          'csv.resultMs': ms(csvResultMs),
          'csv.check': csvPayments === String(csvLines) ? 'ok' : 'MISMATCH',
        };
      } finally {
        await h?.stop().catch((error: unknown) => console.error('scale-data: stopping the harness failed:', error));
      }
    },
  };
}

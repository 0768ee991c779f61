import { EventEmitter } from 'node:events';
import type { Queue, Worker } from 'bullmq';
import { describe, expect, it, vi } from 'vitest';
import { superviseWorkers } from '../../jobs/supervisor.js';
import { createLogger } from '../../src/logger.js';

/** A stand-in BullMQ worker: it emits job events when told, and records how it was closed. */
function fakeWorker() {
  const emitter = new EventEmitter();
  return Object.assign(emitter, {
    name: 'payout-run-lines',
    isRunning: () => true,
    close: vi.fn(async (_force?: boolean) => undefined),
  });
}

const logger = createLogger({ level: 'silent' });
const queueWithWaiting = (waiting: number) =>
  (() => ({ getWaitingCount: async () => waiting })) as unknown as (name: string) => Queue;
const timing = { checkMs: 20, stallMs: 100 };

describe('worker supervisor', () => {
  it('when jobs wait and the worker takes none for the stall time, then it is force-closed and replaced by a fresh one', async () => {
    const made: ReturnType<typeof fakeWorker>[] = [];
    const supervised = superviseWorkers(
      [() => made[made.push(fakeWorker()) - 1] as unknown as Worker],
      queueWithWaiting(5),
      logger,
      timing,
    );
    await vi.waitFor(() => expect(made.length).toBeGreaterThanOrEqual(2), { timeout: 2_000 });
    expect(made[0]!.close).toHaveBeenCalledWith(true);
    expect(supervised.current()).toEqual([made[made.length - 1]]);
    await supervised.close();
  });

  it('when jobs wait but the worker keeps taking them, or nothing waits, then it is left alone', async () => {
    for (const waiting of [5, 0]) {
      let made = 0;
      const worker = fakeWorker();
      // A stall time well above any event-loop lag on a loaded machine, and a wait of three stall times.
      const supervised = superviseWorkers(
        [
          () => {
            made += 1;
            return worker as unknown as Worker;
          },
        ],
        queueWithWaiting(waiting),
        logger,
        { checkMs: 20, stallMs: 500 },
      );
      const busy = setInterval(() => waiting && worker.emit('active'), 10);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      clearInterval(busy);
      expect(made).toBe(1);
      await supervised.close();
    }
  });
});

import type { Queue, Worker } from 'bullmq';
import type { Logger } from '../src/logger.js';
import type { WorkerFactory } from './workers.js';

export interface SupervisorTiming {
  /** How often each worker is looked at. */
  checkMs: number;
  /** Jobs waiting this long while the worker takes none: it is stalled. */
  stallMs: number;
}

export interface SupervisedWorkers {
  /** The workers running now (a replaced one is no longer among them). */
  current(): Worker[];
  close(): Promise<void>;
}

interface Slot {
  make: WorkerFactory;
  worker: Worker;
  lastActivity: number;
  waitingSince: number | undefined;
}

/** A stalled worker is closed without waiting for its jobs (it has none running), and never for longer than this. */
const CLOSE_STALLED_MS = 5_000;

/**
 * BullMQ workers can stop taking jobs after a Redis failover (their blocking connection stays on a server that is no
 * longer the master: a known BullMQ report), while the process looks healthy. Every `checkMs`, each worker whose
 * queue has had jobs waiting for `stallMs` without the worker taking one, or that stopped running, is closed and
 * replaced by a fresh one from its factory.
 */
export function superviseWorkers(
  factories: WorkerFactory[],
  queueOf: (name: string) => Queue,
  logger: Logger,
  timing: SupervisorTiming,
): SupervisedWorkers {
  /** Puts a fresh worker in the slot; its jobs keep the slot's lastActivity current. */
  const refill = (slot: Slot): Slot => {
    slot.worker = slot.make();
    slot.lastActivity = Date.now();
    slot.waitingSince = undefined;
    const touch = () => {
      slot.lastActivity = Date.now();
    };
    slot.worker.on('active', touch);
    slot.worker.on('completed', touch);
    slot.worker.on('failed', touch);
    return slot;
  };
  const slots = factories.map((make) => refill({ make } as Slot));
  let closing = false;

  const check = async (slot: Slot) => {
    const waiting = await queueOf(slot.worker.name).getWaitingCount();
    const now = Date.now();
    slot.waitingSince = waiting > 0 ? (slot.waitingSince ?? now) : undefined;
    const stalled =
      slot.waitingSince !== undefined && now - Math.max(slot.waitingSince, slot.lastActivity) >= timing.stallMs;
    if (closing || (slot.worker.isRunning() && !stalled)) return;
    const old = slot.worker;
    logger.warn(
      { event: 'worker.recreated', queue: old.name, waiting, running: old.isRunning() },
      'worker stopped taking jobs; replacing it',
    );
    void Promise.race([old.close(true), new Promise((resolve) => setTimeout(resolve, CLOSE_STALLED_MS).unref())]).catch(
      () => undefined,
    );
    refill(slot);
  };

  const timer = setInterval(() => {
    for (const slot of slots) {
      // Redis may be unreachable mid-failover: look again at the next tick.
      check(slot).catch((error: unknown) =>
        logger.debug({ err: error, queue: slot.worker.name }, 'worker check failed'),
      );
    }
  }, timing.checkMs);
  timer.unref();

  return {
    current: () => slots.map((slot) => slot.worker),
    async close() {
      closing = true;
      clearInterval(timer);
      await Promise.all(slots.map((slot) => slot.worker.close()));
    },
  };
}

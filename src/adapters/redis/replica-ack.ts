import type { Cluster } from 'ioredis';
import type { RedisTarget } from '../../config.js';
import type { Logger } from '../../logger.js';
import type { RedisClient } from './connection.js';
import { STORE_TAG } from './keys.js';

/**
 * Replication is asynchronous: a master that fails right after acknowledging a write may take it with it. After each
 * money transition (a request's state, a run and its lines) we WAIT until one replica has it, so a failover cannot
 * undo it. Only where replicas take over (Sentinel, Cluster); a single Redis has no failover to survive.
 */
export type ReplicaAck = () => Promise<void>;

export const noReplicaAck: ReplicaAck = async () => undefined;

/** How long a transition waits for a replica before going on (and logging that it is not yet replicated). */
const WAIT_MS = 1_000;

export function createReplicaAck(redis: RedisClient, target: RedisTarget, logger: Logger): ReplicaAck {
  if (target.kind === 'single') return noReplicaAck;
  let slot: number | undefined;
  /** WAIT counts the replicas of the server it is sent to: on a Cluster, the master of our keys' slot. */
  const master = async () => {
    if (target.kind === 'sentinel') return redis;
    const cluster = redis as Cluster;
    slot ??= Number(await cluster.cluster('KEYSLOT', STORE_TAG));
    const address = cluster.slots[slot]?.[0];
    return cluster.nodes('master').find((node) => `${node.options.host}:${node.options.port}` === address);
  };
  return async () => {
    const node = await master();
    const acked = node ? await node.wait(1, WAIT_MS) : 0;
    if (acked < 1)
      logger.warn(
        { event: 'redis.not_replicated', waitedMs: WAIT_MS },
        'no replica confirmed the last write in time; going on',
      );
  };
}

/**
 * Every key of ours (but a reconciliation's scratch, below) carries one hash tag, so on a Redis Cluster all of them live in one slot and the Lua scripts
 * and MULTIs that touch several (a record, its audit stream and its index) never fail with CROSSSLOT.
 * BullMQ's keys carry their own tag in the queues' prefix, as BullMQ asks for on a Cluster.
 */
export const STORE_TAG = '{payout}';
export const QUEUE_PREFIX = '{payout-ops}';

export const storeKey = (rest: string) => `${STORE_TAG}:${rest}`;

/**
 * A reconciliation's scratch (what it knows of each payment of its window, for an hour at most) has a tag of its own:
 * its commands stay in one slot, and a big window's scratch is not piled into the slot of everything else.
 */
export const reconcileScratchKey = (reconcileId: string, rest: string) => `payout:reconcile:{${reconcileId}}:${rest}`;

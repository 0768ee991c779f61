/**
 * Every key of ours carries one hash tag, so on a Redis Cluster all of them live in one slot and the Lua scripts
 * and MULTIs that touch several (a record, its audit stream and its index) never fail with CROSSSLOT.
 * BullMQ's keys carry their own tag in the queues' prefix, as BullMQ asks for on a Cluster.
 */
export const STORE_TAG = '{payout}';
export const QUEUE_PREFIX = '{payout-ops}';

export const storeKey = (rest: string) => `${STORE_TAG}:${rest}`;

import { randomBytes } from 'node:crypto';

/** Sortable, opaque ids such as `req_m3x9k2a7f1c4e8b0`: time first so Redis listings read in order; no `:` (BullMQ job ids). */
export function newId(prefix: string, now = Date.now()): string {
  return `${prefix}_${now.toString(36)}${randomBytes(6).toString('hex')}`;
}

import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import { inertText } from '../domain/text.js';

/** Cleans every string of a payload in place: Bolt's `command`, `view` and `action` are views into the same body. */
function cleanStrings(value: unknown): unknown {
  if (typeof value === 'string') return inertText(value);
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) record[key] = cleanStrings(record[key]);
  }
  return value;
}

/**
 * The one door typed text comes in by (slash commands, modal fields, option searches): invisible bidi and zero-width
 * characters are removed before any listener reads it, so what is stored, paid and shown is what it looks like.
 */
export const inertInput: Middleware<AnyMiddlewareArgs> = async ({ body, next }) => {
  cleanStrings(body);
  await next();
};

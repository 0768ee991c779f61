import { AppError } from './errors.js';

/**
 * Bidirectional controls (LRM, RLM, ALM, the embeddings, overrides and isolates) reorder what is shown, so
 * "€10 ‮00" can read as a different amount; zero-width characters hide inside names and ids. None carries meaning
 * in a payment, so typed text loses them before anything reads it.
 */
const INVISIBLE = /[\u061C\u200B-\u200F\u202A-\u202E\u2060-\u206F\uFEFF]/g;

export const inertText = (text: string): string => text.replace(INVISIBLE, '');

/**
 * The one limit for every description and reason people type. Stripe takes 5,000 characters, but a description is
 * shown inside Block Kit sections of 3,000 beside the amount, the people and the status: 500 leaves them room.
 */
export const MAX_DESCRIPTION_LENGTH = 500;

/** A description (or a reason) as typed: trimmed, null when empty; longer than the limit is refused. */
export function readDescription(
  raw: string | null | undefined,
  noun: 'description' | 'reason' = 'description',
): string | null {
  const text = raw?.trim() ?? '';
  if (text.length > MAX_DESCRIPTION_LENGTH) {
    throw new AppError('text_too_long', { noun, length: text.length, max: MAX_DESCRIPTION_LENGTH });
  }
  return text || null;
}

import { type AppError, isAppError } from '../domain/errors.js';
import { describeError, plainWords } from './messages.js';

/** The person's words for `error`; anything but an AppError is thrown on (a bug: Bolt's error handler logs it). */
export function wordsFor(error: unknown): string {
  if (!isAppError(error)) throw error;
  return describeError(error);
}

/** The same words for a modal field's error, which Slack shows as plain text (no mentions, no code spans). */
export function fieldWordsFor(error: unknown): string {
  if (!isAppError(error)) throw error;
  return describeError(error, plainWords);
}

/**
 * Runs `work`; an AppError it throws becomes `:x: <lead><words>` in the person's reply, after `refused` has seen it
 * (to log it). Anything else is thrown on.
 */
export async function replyOnAppError(
  reply: (text: string) => Promise<unknown>,
  work: () => Promise<unknown>,
  options: { lead?: string; refused?: (error: AppError) => void } = {},
): Promise<void> {
  try {
    await work();
  } catch (error) {
    const words = wordsFor(error);
    options.refused?.(error as AppError);
    await reply(`:x: ${options.lead ?? ''}${words}`);
  }
}

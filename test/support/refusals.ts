import { isAppError } from '../../src/domain/errors.js';
import { describeError, plainWords } from '../../src/slack/messages.js';

/** The words a person reads when `run` is refused with an AppError; fails when it is not refused. */
export function refusalWords(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isAppError(error)) return describeError(error, plainWords);
    throw error;
  }
  throw new Error('it was not refused');
}

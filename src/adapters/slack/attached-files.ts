import { AppError, isAppError } from '../../domain/errors.js';
import type { AttachedFiles } from '../../domain/ports.js';
import { inertText } from '../../domain/text.js';

/** Files people attach in a modal's file input, downloaded with the bot token (files:read). */
export function createAttachedFiles(botToken: string): AttachedFiles {
  return {
    async read(file, timeoutMs) {
      if (!file.url) throw new AppError('csv_file', {});
      try {
        const res = await fetch(file.url, {
          headers: { authorization: `Bearer ${botToken}` },
          signal: AbortSignal.timeout(timeoutMs),
        });
        if (!res.ok) throw new AppError('csv_file', { status: res.status });
        // A file's text does not pass through the payload middleware: the same cleaning here.
        return inertText(await res.text());
      } catch (error) {
        if (isAppError(error)) throw error;
        throw new AppError('csv_file', {}, { cause: error });
      }
    },
  };
}

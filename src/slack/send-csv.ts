import type { CommandDeps } from '../deps.js';
import type { CsvExport } from '../domain/reports.js';
import type { Reply } from './replies.js';

/** The rest of a list that a message cannot hold: a CSV file in the person's DM, and a word where they asked. */
export async function sendCsv(
  deps: Pick<CommandDeps, 'exports'>,
  userId: string,
  reply: Reply,
  file: CsvExport,
): Promise<void> {
  await deps.exports.send(userId, file);
  await reply(
    `:page_facing_up: Sent you ${file.title.toLowerCase()} (${file.data.length} ${file.rows}) as a CSV file in a DM.`,
  );
}

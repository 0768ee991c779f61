import type { AppDeps } from '../src/deps.js';

/** RFC 4180 quoting, and a leading ' on cells a spreadsheet would run as a formula. */
export const csvCell = (value: unknown) => {
  let text = value === undefined || value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export const toCsv = (columns: readonly string[], rows: readonly (readonly unknown[])[]): string =>
  [columns.join(','), ...rows.map((row) => row.map(csvCell).join(','))].join('\n') + '\n';


export interface CsvExport {
  /** The file name's middle part: `payout-<name>-<date>.csv`. */
  name: string;
  title: string;
  /** What one row is, plural: "sellers", "failed lines". */
  rows: string;
  columns: readonly string[];
  data: readonly (readonly unknown[])[];
}

/** The rest of a list that a message cannot hold: a CSV file in the person's DM, and a word where they asked. */
export async function sendCsv(deps: Pick<AppDeps, 'messenger'>, userId: string, reply: (text: string) => Promise<void>, file: CsvExport): Promise<void> {
  const count = `${file.data.length} ${file.rows}`;
  await deps.messenger.dmFile(userId, { filename: `payout-${file.name}-${new Date().toISOString().slice(0, 10)}.csv`, content: toCsv(file.columns, file.data), title: file.title, comment: `${count}.` });
  await reply(`:page_facing_up: Sent you ${file.title.toLowerCase()} (${count}) as a CSV file in a DM.`);
}

import type { AuditEntry, AuditLog } from './audit.js';
import type { Clock } from './clock.js';
import { auditCsv, toCsv } from './csv.js';
import type { PersonalFiles } from './ports.js';

const DAY_MS = 86_400_000;

export interface CsvExport {
  /** The file name's middle part: `payout-<name>-<date>.csv`. */
  name: string;
  title: string;
  /** What one row is, plural: "sellers", "failed lines". */
  rows: string;
  columns: readonly string[];
  data: readonly (readonly unknown[])[];
}

/** Lists too long for a message, sent to the person who asked as a CSV file. */
export interface Exports {
  /** Sends the file to the person's DM. */
  send(userId: string, file: CsvExport): Promise<void>;
}

export function createExports(deps: { inbox: PersonalFiles; clock: Clock }): Exports {
  return {
    async send(userId, file) {
      const count = `${file.data.length} ${file.rows}`;
      const day = deps.clock.now().toISOString().slice(0, 10);
      await deps.inbox.dmFile(userId, {
        filename: `payout-${file.name}-${day}.csv`,
        content: toCsv(file.columns, file.data),
        title: file.title,
        comment: `${count}.`,
      });
    },
  };
}

export interface AuditService {
  latest(count: number): Promise<(AuditEntry & { id: string })[]>;
  /**
   * Sends the entries of `window` (all of them when absent) to the person as a CSV file, streamed page by page;
   * `label` names the file. Returns how many entries it held.
   */
  export(userId: string, window: { from: Date; to: Date } | undefined, label: string): Promise<number>;
}

export function createAuditService(deps: { log: AuditLog; inbox: PersonalFiles; clock: Clock }): AuditService {
  return {
    latest: (count) => deps.log.latest(count),
    async export(userId, window, label) {
      const { from, to } = window ?? { from: new Date(0), to: new Date(deps.clock.now().getTime() + DAY_MS) };
      let count = 0;
      const counted = async function* () {
        for await (const entry of deps.log.between(from, to)) {
          count++;
          yield entry;
        }
      };
      await deps.inbox.dmFile(userId, {
        filename: `payout-audit-${label}.csv`,
        content: auditCsv(counted()),
        title: 'Payout audit log',
        comment: `The payout audit log (${label}).`,
      });
      return count;
    },
  };
}

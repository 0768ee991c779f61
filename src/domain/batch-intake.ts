import type { BatchLine, BatchProblem } from './payout-batch.js';
import { validateBatchLookingUp } from './payout-batch.js';
import type { AttachedFile, AttachedFiles } from './ports.js';
import type { SellerService } from './sellers.js';

export type CheckedBatch =
  | { empty: true }
  | { empty: false; lines: (BatchLine & { userId: string; accountId: string })[]; problems: BatchProblem[] };

/** A file up to this size (a few hundred lines) is read and checked before the ack, so its mistakes show in the form. */
const CHECK_BEFORE_ACK_BYTES = 16_384;
/** Before the ack, Slack's 3 s bound the download; after it, a large file may take longer. */
const READ_BEFORE_ACK_MS = 2_000;
const READ_AFTER_ACK_MS = 30_000;

/** A one-off CSV batch as a person hands it in: an attached file or pasted lines, checked line by line. */
export interface BatchIntake {
  /** Pasted lines and small files are checked before the ack; a larger file (up to 50,000 lines) after it. */
  checksBeforeAck(file: AttachedFile | undefined): boolean;
  /**
   * Reads the file (else the pasted text) and checks every line against the team's sellers (those it names, read
   * together) and, when known, the currencies the platform holds. Throws AppError when the file cannot be read.
   */
  check(input: {
    teamId: string;
    file: AttachedFile | undefined;
    pasted: string;
    heldCurrencies: string[] | undefined;
    afterAck?: boolean;
  }): Promise<CheckedBatch>;
}

export function createBatchIntake(deps: {
  attachments: AttachedFiles;
  sellers: Pick<SellerService, 'lookUp'>;
  mentionedUser: (raw: string) => string | undefined;
}): BatchIntake {
  return {
    checksBeforeAck: (file) => !file || (file.size !== undefined && file.size <= CHECK_BEFORE_ACK_BYTES),
    async check({ teamId, file, pasted, heldCurrencies, afterAck }) {
      const text = file ? await deps.attachments.read(file, afterAck ? READ_AFTER_ACK_MS : READ_BEFORE_ACK_MS) : pasted;
      if (!text.trim()) return { empty: true };
      // Held currencies were read when the form opened; create() checks them against Stripe again.
      const options = heldCurrencies ? { heldCurrencies: new Set(heldCurrencies) } : {};
      return {
        empty: false,
        ...(await validateBatchLookingUp(
          text,
          deps.mentionedUser,
          (refs) => deps.sellers.lookUp(teamId, refs),
          options,
        )),
      };
    },
  };
}

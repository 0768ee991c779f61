import type { BatchLine, BatchProblem } from './payout-batch.js';
import { validateBatch } from './payout-batch.js';
import type { AttachedFile, AttachedFiles } from './ports.js';
import type { SellerService } from './sellers.js';

export type CheckedBatch = { empty: true } | { empty: false; lines: (BatchLine & { userId: string; accountId: string })[]; problems: BatchProblem[] };

/** A one-off CSV batch as a person hands it in: an attached file or pasted lines, checked line by line. */
export interface BatchIntake {
  /**
   * Reads the file (else the pasted text) and checks every line against the team's sellers and, when known, the
   * currencies the platform holds. Throws AppError when the file cannot be read.
   */
  check(input: { teamId: string; file: AttachedFile | undefined; pasted: string; heldCurrencies: string[] | undefined }): Promise<CheckedBatch>;
}

export function createBatchIntake(deps: { attachments: AttachedFiles; sellers: Pick<SellerService, 'list'>; mentionedUser: (raw: string) => string | undefined }): BatchIntake {
  return {
    async check({ teamId, file, pasted, heldCurrencies }) {
      const text = file ? await deps.attachments.read(file) : pasted;
      if (!text.trim()) return { empty: true };
      const sellers = await deps.sellers.list(teamId);
      const lookup = {
        find: ({ userId, accountId }: { userId?: string; accountId?: string }) => {
          const seller = sellers.find((s) => s.userId === userId || s.accountId === accountId);
          return seller ? { userId: seller.userId, accountId: seller.accountId, payable: seller.state === 'payable' } : undefined;
        },
        mentionedUser: deps.mentionedUser,
      };
      // Held currencies were read when the form opened; create() checks them against Stripe again.
      return { empty: false, ...validateBatch(text, lookup, heldCurrencies ? { heldCurrencies: new Set(heldCurrencies) } : {}) };
    },
  };
}

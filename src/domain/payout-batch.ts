// Placeholder until the full module lands: same API.
import type { Money } from './money.js';

export interface BatchLine { line: number; sellerRef: string; money: Money; description: string | null }
export interface BatchProblem { line: number; message: string }
export interface SellerLookup { find(ref: { userId?: string; accountId?: string }): { userId: string; accountId: string; payable: boolean } | undefined }

export function validateBatch(_csvText: string, _sellers: SellerLookup, _options: { heldCurrencies?: ReadonlySet<string>; maxLines?: number }): { lines: (BatchLine & { userId: string; accountId: string })[]; problems: BatchProblem[] } {
  return { lines: [], problems: [{ line: 0, message: 'CSV batches are not available yet.' }] };
}

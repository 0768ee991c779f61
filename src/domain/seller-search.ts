import type { Seller } from './sellers.types.js';

/** Words of a name that a search may start at: "Ana María López" is found by "ana", "mar" and "lop". */
const MAX_WORDS = 6;
const MAX_TERM_LENGTH = 80;

/** Case, accents and spacing ignored: "  Ána  LÓPEZ" → "ana lopez". The same for what is stored and what is typed. */
export function normaliseSearchText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, MAX_TERM_LENGTH);
}

/** What the seller picker finds a seller by, as prefixes: the name from each word on, the user id and the account id. */
export function searchTermsOf(seller: Pick<Seller, 'displayName' | 'userId' | 'accountId'>): string[] {
  const terms = new Set<string>();
  const name = normaliseSearchText(seller.displayName ?? '');
  const words = name.split(' ').filter(Boolean).slice(0, MAX_WORDS);
  for (let i = 0; i < words.length; i++) terms.add(words.slice(i).join(' '));
  terms.add(seller.userId.toLowerCase());
  terms.add(seller.accountId.toLowerCase());
  terms.delete('');
  return [...terms];
}

import type { CommandDeps } from '../src/deps.js';
import type { FreezeScope } from '../src/domain/controls.types.js';
import { MoneyError, normalizeCurrency } from '../src/domain/money.js';
import { wordsFor } from '../src/slack/app-errors.js';
import { mention, parseUserMention } from '../src/slack/mrkdwn.js';

export const SCOPES = 'all|@seller|<currency>';

/** `all`, a seller's mention (a seller we know, since a freeze names their Stripe account) or a currency code. */
export async function parseScope(
  deps: Pick<CommandDeps, 'sellers'>,
  teamId: string,
  token: string | undefined,
): Promise<FreezeScope | string> {
  if (!token) return `Say what to stop: \`${SCOPES}\`.`;
  if (token.toLowerCase() === 'all') return { kind: 'all' };
  const userId = parseUserMention(token);
  if (userId) {
    const seller = await deps.sellers.get(teamId, userId);
    return seller
      ? { kind: 'seller', userId, accountId: seller.accountId }
      : `${mention(userId)} is not a seller, so there is nothing to freeze for them.`;
  }
  try {
    return { kind: 'currency', currency: normalizeCurrency(token) };
  } catch (error) {
    if (error instanceof MoneyError) return `${wordsFor(error)}. Say what to stop: \`${SCOPES}\`.`;
    throw error;
  }
}

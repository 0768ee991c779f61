import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock } from './clock.js';

/** What a Connect URL token lets its holder do, and for how long. */
/** login: opens the seller's Express Dashboard (a fresh login link at each visit), from a failed-payout DM. */
export type ConnectTokenPurpose = 'start' | 'refresh' | 'return' | 'login';

export const CONNECT_TOKEN_LIFETIME_SECONDS: Record<ConnectTokenPurpose, number> = {
  start: 7 * 86_400,
  refresh: 86_400,
  return: 86_400,
  login: 7 * 86_400,
};

export interface ConnectTokenClaims {
  purpose: ConnectTokenPurpose;
  accountId: string;
  expiresAt: number; // unix seconds
}

export interface ConnectTokens {
  issue(purpose: ConnectTokenPurpose, accountId: string): string;
  /** The claims, or undefined for a token that is forged, tampered with, expired or meant for another URL. */
  verify(token: string, purpose: ConnectTokenPurpose): ConnectTokenClaims | undefined;
}

/** Stateless HMAC tokens (`payload.signature`, base64url) so nobody can mint links for an account by editing a URL. */
export function createConnectTokens(secret: string, clock: Clock): ConnectTokens {
  const sign = (payload: string) => createHmac('sha256', secret).update(payload).digest('base64url');
  return {
    issue(purpose, accountId) {
      const expiresAt = Math.floor(clock.now().getTime() / 1000) + CONNECT_TOKEN_LIFETIME_SECONDS[purpose];
      const payload = Buffer.from(JSON.stringify({ p: purpose, a: accountId, e: expiresAt })).toString('base64url');
      return `${payload}.${sign(payload)}`;
    },
    verify(token, purpose) {
      const [payload, signature, extra] = token.split('.');
      if (!payload || !signature || extra !== undefined) return undefined;
      const expected = Buffer.from(sign(payload));
      const given = Buffer.from(signature);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      let claims: { p?: unknown; a?: unknown; e?: unknown };
      try {
        claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      } catch {
        return undefined;
      }
      if (
        claims.p !== purpose ||
        typeof claims.a !== 'string' ||
        !/^acct_\w+$/.test(claims.a) ||
        typeof claims.e !== 'number'
      )
        return undefined;
      if (claims.e * 1000 <= clock.now().getTime()) return undefined;
      return { purpose, accountId: claims.a, expiresAt: claims.e };
    },
  };
}

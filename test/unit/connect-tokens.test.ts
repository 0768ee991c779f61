import { describe, expect, it } from 'vitest';
import { createConnectTokens } from '../../src/domain/connect-tokens.js';

const at = (iso: string) => ({ now: () => new Date(iso) });

describe('connect tokens', () => {
  it('when a token is issued, then it verifies for its own purpose only', () => {
    const tokens = createConnectTokens('secret-of-sixteen-chars', at('2026-11-24T10:00:00Z'));
    const token = tokens.issue('start', 'acct_123');
    expect(tokens.verify(token, 'start')).toMatchObject({ accountId: 'acct_123', purpose: 'start' });
    expect(tokens.verify(token, 'refresh')).toBeUndefined();
  });

  it('when someone edits the account in the token, then it no longer verifies', () => {
    const tokens = createConnectTokens('secret-of-sixteen-chars', at('2026-11-24T10:00:00Z'));
    const [payload, signature] = tokens.issue('start', 'acct_123').split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), a: 'acct_999' }),
    ).toString('base64url');
    expect(tokens.verify(`${forged}.${signature}`, 'start')).toBeUndefined();
    expect(tokens.verify('garbage', 'start')).toBeUndefined();
    expect(
      createConnectTokens('another-secret-entirely', at('2026-11-24T10:00:00Z')).verify(
        tokens.issue('start', 'acct_1'),
        'start',
      ),
    ).toBeUndefined();
  });

  it('when a start token is older than a week or a return token older than a day, then it has expired', () => {
    const issuer = createConnectTokens('secret-of-sixteen-chars', at('2026-11-24T10:00:00Z'));
    const start = issuer.issue('start', 'acct_1');
    const ret = issuer.issue('return', 'acct_1');
    expect(
      createConnectTokens('secret-of-sixteen-chars', at('2026-11-30T10:00:00Z')).verify(start, 'start'),
    ).toBeDefined();
    expect(
      createConnectTokens('secret-of-sixteen-chars', at('2026-12-01T10:00:01Z')).verify(start, 'start'),
    ).toBeUndefined();
    expect(
      createConnectTokens('secret-of-sixteen-chars', at('2026-11-25T09:59:00Z')).verify(ret, 'return'),
    ).toBeDefined();
    expect(
      createConnectTokens('secret-of-sixteen-chars', at('2026-11-25T10:00:01Z')).verify(ret, 'return'),
    ).toBeUndefined();
  });
});

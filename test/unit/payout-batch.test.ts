import { describe, expect, it } from 'vitest';
import { type BatchProblem, type SellerLookup, validateBatch } from '../../src/domain/payout-batch.js';
import { describeLineProblem, plainWords } from '../../src/slack/messages.js';
import { parseUserMention } from '../../src/slack/mrkdwn.js';

const SELLERS = [
  { userId: 'U0ALICE', accountId: 'acct_1Alice', payable: true },
  { userId: 'U0BOB', accountId: 'acct_1Bob', payable: true },
  { userId: 'W0CAROL', accountId: 'acct_1Carol', payable: true },
  { userId: 'U0DAVE', accountId: 'acct_1Dave', payable: false },
];

const sellers: SellerLookup = {
  find: ({ userId, accountId }) =>
    SELLERS.find((s) => (userId && s.userId === userId) || (accountId && s.accountId === accountId)),
  mentionedUser: parseUserMention,
};

const held = { heldCurrencies: new Set(['usd', 'eur']) };
const csv = (...lines: string[]) => lines.join('\n');
/** Each problem with the words a person reads for it. */
const shown = (problems: BatchProblem[]) =>
  problems.map((p) => ({ line: p.line, message: describeLineProblem(p.problem, plainWords) }));

describe('validateBatch', () => {
  it('when the CSV is clean (header, quoted description with a comma, mention and acct_ refs), then every line is ready and nothing is wrong', () => {
    const result = validateBatch(
      csv(
        'Seller,Amount,Currency,Description',
        'U0ALICE,10.50,usd,March sales',
        '<@U0BOB|bob>, 1200 , EUR ,"Commission, March"',
        '',
        'acct_1Carol,7,usd',
        'W0CAROL,7,usd,"second line\nof a note"',
      ),
      sellers,
      held,
    );
    expect(result.problems).toEqual([]);
    expect(result.lines).toEqual([
      {
        line: 2,
        sellerRef: 'U0ALICE',
        userId: 'U0ALICE',
        accountId: 'acct_1Alice',
        money: { amount: 1050, currency: 'usd' },
        description: 'March sales',
      },
      {
        line: 3,
        sellerRef: '<@U0BOB|bob>',
        userId: 'U0BOB',
        accountId: 'acct_1Bob',
        money: { amount: 120_000, currency: 'eur' },
        description: 'Commission, March',
      },
      {
        line: 5,
        sellerRef: 'acct_1Carol',
        userId: 'W0CAROL',
        accountId: 'acct_1Carol',
        money: { amount: 700, currency: 'usd' },
        description: null,
      },
      {
        line: 6,
        sellerRef: 'W0CAROL',
        userId: 'W0CAROL',
        accountId: 'acct_1Carol',
        money: { amount: 700, currency: 'usd' },
        description: 'second line\nof a note',
      },
    ]);
  });

  it('when lines have a bad amount, an unknown seller, a repeat and a currency the platform does not hold, then each is reported by its line number', () => {
    const { lines, problems } = validateBatch(
      csv(
        'U0ALICE,10.00,usd,March', // 1
        'U0BOB,-5,usd,March', // 2: negative
        'U0NOBODY,10,usd,March', // 3: unknown seller
        'U0BOB,10.999,usd,March', // 4: too many decimals
        'U0ALICE,10,usd,March', // 5: repeats line 1
        'U0BOB,10,gbp,March', // 6: not held
        'U0BOB,10,xyz,March', // 7: not a currency
        'U0DAVE,10,usd,March', // 8: not payable
        'U0BOB,ten,usd', // 9: not a number
        'U0BOB,0,usd', // 10: zero
        'U0BOB,10', // 11: too few columns
        'U0BOB,10,usd,March,extra', // 12: too many columns
        'bob,10,usd', // 13: not a seller ref
        '<@U0ALICE>,10,usd,March', // 14: repeats line 1 through a mention
        'U0BOB,10,usd,March', // 15: fine
      ),
      sellers,
      held,
    );
    expect(problems.map((p) => p.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    const at = (line: number) => shown(problems).find((p) => p.line === line)?.message;
    expect(at(2)).toBe('The amount must be positive.');
    expect(at(3)).toMatch(/U0NOBODY is not a seller of this workspace/);
    expect(at(4)).toBe('10.999 has 3 decimals but USD has 2: did you mean $10,999.00?');
    expect(at(5)).toMatch(/^This repeats line 1: same seller, amount, currency and description/);
    expect(at(6)).toBe('The platform holds no GBP balance to pay from: use EUR, USD.');
    expect(at(7)).toMatch(/"xyz" is not an ISO currency code/);
    expect(at(8)).toMatch(/U0DAVE cannot be paid yet/);
    expect(at(9)).toMatch(/"ten" is not an amount/);
    expect(at(10)).toBe('The amount must be greater than zero.');
    expect(at(11)).toMatch(/has 2 columns, not 3 or 4/);
    expect(at(12)).toMatch(/has 5 columns, not 3 or 4/);
    expect(at(13)).toMatch(/"bob" is not a seller: use a Slack user id/);
    expect(at(14)).toMatch(/^This repeats line 1/);
    expect(lines.map((l) => l.line)).toEqual([1, 15]);
  });

  it('when a line describes itself at more than the one description limit, then that line is reported and not paid', () => {
    const { lines, problems } = validateBatch(
      csv('U0ALICE,10,usd,ok', `U0BOB,10,usd,"${'x'.repeat(5_000)}"`),
      sellers,
      held,
    );
    expect(shown(problems)).toEqual([
      { line: 2, message: 'The description is 5,000 characters long: keep it to 500.' },
    ]);
    expect(lines.map((l) => l.line)).toEqual([1]);
  });

  it('when one line has both a bad seller and a bad amount, then both are reported on that line', () => {
    const { problems } = validateBatch('U0NOBODY,-1,usd', sellers, held);
    expect(shown(problems)).toEqual([
      { line: 1, message: 'The amount must be positive.' },
      { line: 1, message: expect.stringMatching(/U0NOBODY is not a seller/) },
    ]);
  });

  it('when a quote is left open or stray, then that line is reported as not valid CSV', () => {
    expect(
      shown(validateBatch(csv('U0ALICE,1,usd', '', '', 'U0BOB,2,usd,"open', 'U0BOB,3,usd'), sellers, held).problems),
    ).toEqual([
      { line: 4, message: expect.stringMatching(/^This line is not valid CSV: a quote opened here is never closed/) },
    ]);
    const stray = validateBatch(csv('U0ALICE,1,usd', 'U0BOB,2,usd,x"y"', 'U0BOB,3,usd'), sellers, held);
    expect(shown(stray.problems)).toEqual([
      { line: 2, message: expect.stringMatching(/^This line is not valid CSV: a quote appears inside a value/) },
    ]);
  });

  it('when there are more lines than allowed, then the first extra line is reported', () => {
    const text = csv('seller,amount,currency', 'U0ALICE,1,usd', 'U0ALICE,2,usd', 'U0ALICE,3,usd');
    expect(shown(validateBatch(text, sellers, { ...held, maxLines: 2 }).problems)).toEqual([
      { line: 4, message: 'A batch has at most 2 lines: split the file into several batches.' },
    ]);
  });

  it('when the held currencies are not given, then only the currency code itself is checked', () => {
    const { lines, problems } = validateBatch('U0ALICE,1,gbp\r\n\r\n , , \r\nU0BOB,100,jpy', sellers);
    expect(problems).toEqual([]);
    expect(lines.map((l) => [l.line, l.money])).toEqual([
      [1, { amount: 100, currency: 'gbp' }],
      [4, { amount: 100, currency: 'jpy' }],
    ]);
  });
});

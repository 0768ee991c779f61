import { describe, expect, it } from 'vitest';
import { parseCountry, parseEmail, tokenize } from '../../commands/args.js';
import { parseInviteArgs } from '../../commands/invite.js';
import { parseUserMention } from '../../src/slack/mrkdwn.js';

describe('slash-command arguments', () => {
  it('keeps quoted text together and reads escaped mentions and emails', () => {
    expect(tokenize('transfer <@U123|ana> 10.00 eur "weekly earnings"')).toEqual([
      'transfer',
      '<@U123|ana>',
      '10.00',
      'eur',
      'weekly earnings',
    ]);
    expect(parseUserMention('<@U123|ana>')).toBe('U123');
    expect(parseUserMention('<@W0ABC>')).toBe('W0ABC');
    expect(parseUserMention('@ana')).toBeUndefined();
    expect(parseEmail('<mailto:a@b.co|a@b.co>')).toBe('a@b.co');
    expect(parseCountry('fr')).toBe('FR');
    expect(parseCountry('XX')).toBeUndefined();
  });

  it('when invite gets a mention, an email and a country in any order, then all three are read', () => {
    expect(parseInviteArgs(['<@U1|a>', 'DE', '<mailto:a@b.de|a@b.de>'])).toEqual({
      sellerId: 'U1',
      email: 'a@b.de',
      country: 'DE',
    });
    expect(parseInviteArgs(['<@U1|a>'])).toEqual({ sellerId: 'U1', email: null, country: null });
  });

  it('when invite gets something it cannot read, then it says what and shows the usage', () => {
    expect(parseInviteArgs(['bob'])).toMatch(/Mention the seller/);
    expect(parseInviteArgs(['<@U1>', 'nonsense'])).toMatch(/couldn't read "nonsense"/);
  });
});

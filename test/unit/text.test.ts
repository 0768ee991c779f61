import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/domain/errors.js';
import { inertText, MAX_DESCRIPTION_LENGTH, readDescription } from '../../src/domain/text.js';
import { refusalWords } from '../support/refusals.js';

describe('text people type', () => {
  it('when text holds bidi controls or zero-width characters, then they are removed and the visible text stays', () => {
    const disguised =
      'Invoice \u202E0001\u202C for \u2067ana\u2069\u200B\u200C\u200D\u2060\uFEFF\u200E\u200F\u061C\u202A\u202B\u202D\u2066\u2068 paid';
    expect(inertText(disguised)).toBe('Invoice 0001 for ana paid');
    expect(inertText('Café 10 € — ok ✓ مرحبا')).toBe('Café 10 € — ok ✓ مرحبا');
  });

  it('when a description is within the limit, then it is kept trimmed, and empty is none', () => {
    expect(readDescription('  weekly earnings ')).toBe('weekly earnings');
    expect(readDescription('x'.repeat(MAX_DESCRIPTION_LENGTH))).toHaveLength(MAX_DESCRIPTION_LENGTH);
    expect(readDescription('   ')).toBeNull();
    expect(readDescription(undefined)).toBeNull();
  });

  it('when a description or a reason is longer than the one limit, then it is refused with its length and the limit', () => {
    expect(MAX_DESCRIPTION_LENGTH).toBe(500);
    expect(() => readDescription('x'.repeat(5_000))).toThrow(AppError);
    expect(refusalWords(() => readDescription('x'.repeat(5_000)))).toContain(
      'The description is 5,000 characters long: keep it to 500.',
    );
    expect(refusalWords(() => readDescription('x'.repeat(501), 'reason'))).toContain(
      'The reason is 501 characters long: keep it to 500.',
    );
  });
});

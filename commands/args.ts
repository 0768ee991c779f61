/**
 * Slash-command text → tokens. With `should_escape: true` Slack sends mentions as `<@U123|name>` and emails
 * as `<mailto:a@b.c|a@b.c>`; quoted strings ("weekly earnings") stay one token.
 */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const pattern = /"([^"]*)"|“([^”]*)”|(\S+)/g;
  for (const match of text.matchAll(pattern)) tokens.push(match[1] ?? match[2] ?? match[3] ?? '');
  return tokens;
}

/** `<mailto:a@b.c|a@b.c>` or a bare address → the address. */
export function parseEmail(token: string): string {
  return /^<mailto:([^|>]+)(?:\|[^>]*)?>$/.exec(token)?.[1] ?? token;
}

const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });

/** An ISO 3166-1 alpha-2 country code in upper case, or undefined. */
export function parseCountry(token: string): string | undefined {
  const code = token.trim().toUpperCase();
  const name = /^[A-Z]{2}$/.test(code) ? regionNames.of(code) : undefined;
  return name && name !== code && name !== 'Unknown Region' ? code : undefined;
}

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;
export const isEmail = (value: string): boolean => EMAIL.test(value);

const DAY_MS = 86_400_000;

/** `2026-12-01..2026-12-06` (UTC days, both included), or one day; undefined when it is not a range of real dates. */
export function parseDateRange(text: string): { from: Date; to: Date } | undefined {
  const match = /^(\d{4}-\d{2}-\d{2})(?:\.\.(\d{4}-\d{2}-\d{2}))?$/.exec(text);
  if (!match) return undefined;
  const day = (iso: string) => {
    const date = new Date(`${iso}T00:00:00Z`);
    return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== iso ? undefined : date;
  };
  const from = day(match[1]!);
  const last = day(match[2] ?? match[1]!);
  if (!from || !last || last < from) return undefined;
  return { from, to: new Date(last.getTime() + DAY_MS) };
}

/** A page number as typed (`2`), or undefined when the token is not one. */
export function parsePage(token: string): number | undefined {
  const page = /^\d{1,6}$/.test(token) ? Number(token) : 0;
  return page >= 1 ? page : undefined;
}

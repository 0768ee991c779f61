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

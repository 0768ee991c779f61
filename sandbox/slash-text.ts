/**
 * What Slack does to a slash command's text when the command has `should_escape: true` (see manifest.yml):
 * `&`, `<` and `>` become entities, and `@name`, `#channel`, e-mail addresses and URLs become `<@U…|name>`,
 * `<#C…|name>`, `<mailto:…|…>` and `<http…>`. Text already in that form (`<@USELLER1>`) is kept, so what
 * the integration tests type works here too.
 */
export interface Directory {
  /** name or id → user id */
  user(nameOrId: string): { id: string; name: string } | undefined;
  channel(name: string): { id: string; name: string } | undefined;
}

const FORMATTED =
  /^<(?:@[UW][A-Z0-9]+|#[CGD][A-Z0-9]+|mailto:[^>\s]+|https?:\/\/[^>\s]+|!(?:here|channel|everyone|subteam\^[A-Z0-9]+))(?:\|[^>]*)?>$/;
const EMAIL = /^([^\s@<>]+@[^\s@<>]+\.[A-Za-z]{2,})([.,;:!?)]*)$/;
const URL_TOKEN = /^(https?:\/\/[^\s<>]+?)([.,;:!?)]*)$/;

const escapeHtml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function formatWord(word: string, directory: Directory): string {
  if (FORMATTED.test(word)) return word;
  const mention = /^@([\w.-]+?)([.,;:!?)]*)$/.exec(word);
  if (mention) {
    const user = directory.user(mention[1] ?? '');
    if (user) return `<@${user.id}|${user.name}>${escapeHtml(mention[2] ?? '')}`;
  }
  const channel = /^#([\w-]+?)([.,;:!?)]*)$/.exec(word);
  if (channel) {
    const found = directory.channel(channel[1] ?? '');
    if (found) return `<#${found.id}|${found.name}>${escapeHtml(channel[2] ?? '')}`;
  }
  const email = EMAIL.exec(word);
  if (email) return `<mailto:${email[1]}|${email[1]}>${escapeHtml(email[2] ?? '')}`;
  const url = URL_TOKEN.exec(word);
  if (url) return `<${escapeHtml(url[1] ?? '')}>${escapeHtml(url[2] ?? '')}`;
  return escapeHtml(word);
}

/** The text Slack would send for what a person typed after `/payout`. Whitespace is kept as typed. */
export function escapeSlashText(typed: string, directory: Directory): string {
  return typed
    .split(/(\s+)/)
    .map((part) => (/^\s*$/.test(part) ? part : formatWord(part, directory)))
    .join('');
}

/** `/payout invite @ana` → `{ command: '/payout', text: 'invite @ana' }`; undefined when it is not a slash command. */
export function splitSlashCommand(typed: string): { command: string; text: string } | undefined {
  const match = /^\s*(\/[\w-]+)(?:\s+([\s\S]*))?$/.exec(typed);
  return match ? { command: (match[1] ?? '').toLowerCase(), text: (match[2] ?? '').trim() } : undefined;
}

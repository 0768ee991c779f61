/**
 * Text that people typed, made safe for mrkdwn: `&`, `<` and `>` are escaped as Slack asks,
 * so `<!channel>` or `<@U123>` in a description shows as text and never pings anyone.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export const mention = (userId: string): string => `<@${userId}>`;

/** A Slack user as people write one: `<@U123|name>` or `<@U123>` (also W… ids) → `U123`; anything else → undefined. */
export function parseUserMention(token: string | undefined): string | undefined {
  return token ? /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(token)?.[1] : undefined;
}

/** "1 seller", "2 sellers". */
export const counted = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** A person (U…/W…) or a user group (S…), as a mention that notifies them. */
export const mentionPrincipal = (id: string): string => (id.startsWith('S') ? `<!subteam^${id}>` : mention(id));

/** Slack's date formatting token: each reader sees the time in their own time zone. */
export function slackDate(iso: string, format = '{date_short_pretty} {time}'): string {
  const seconds = Math.floor(Date.parse(iso) / 1000);
  // The fallback shows where Slack cannot format dates (notifications, older clients).
  return `<!date^${seconds}^${format}|${iso.slice(0, 16).replace('T', ' ')} UTC>`;
}

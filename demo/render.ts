/**
 * Turns a Slack message (its `text` and Block Kit `blocks`) into readable terminal text, roughly as a Slack
 * client would show it. Used by the demo (`npm run demo`); it knows the seeded people and channels of the
 * local stack, so `<@USELLER1>` reads `@seller1`.
 */
import { CHANNELS, PEOPLE } from '../emulators/local-stack.js';

/** Anything with Slack message fields: a stored message, an ephemeral, a recorded chat.update. */
export interface SlackLike {
  text?: string;
  blocks?: unknown[];
}

export interface RenderOptions {
  /** ANSI styling; default: only when stdout is a TTY and NO_COLOR is not set. */
  color?: boolean;
  /** user id → name shown after `@` */
  people?: Record<string, string>;
  /** channel id → name shown after `#` */
  channels?: Record<string, string>;
}

const invert = (record: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(record).map(([name, id]) => [id, name]));

const DEFAULT_PEOPLE = invert(PEOPLE);
const DEFAULT_CHANNELS = invert(CHANNELS);

export const colorByDefault = (): boolean => Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;

interface Resolved {
  color: boolean;
  people: Record<string, string>;
  channels: Record<string, string>;
}

const resolve = (options: RenderOptions = {}): Resolved => ({
  color: options.color ?? colorByDefault(),
  people: options.people ?? DEFAULT_PEOPLE,
  channels: options.channels ?? DEFAULT_CHANNELS,
});

const ansi = (code: string, close: string) => (on: boolean, text: string) =>
  on ? `\x1b[${code}m${text}\x1b[${close}m` : text;
export const bold = ansi('1', '22');
/** Dim, kept through any bold inside (both end with the same code). */
export const dim = (on: boolean, text: string): string =>
  on ? `\x1b[2m${text.replaceAll('\x1b[22m', '\x1b[22m\x1b[2m')}\x1b[22m` : text;
export const cyan = ansi('36', '39');
export const green = ansi('32', '39');
export const yellow = ansi('33', '39');

/** A few shortcodes the bot uses, as real emoji; any other `:name:` stays as typed. */
const EMOJI: Record<string, string> = {
  white_check_mark: '✅',
  heavy_check_mark: '✔️',
  x: '❌',
  large_yellow_circle: '🟡',
  large_green_circle: '🟢',
  red_circle: '🔴',
  hourglass_flowing_sand: '⏳',
  hourglass: '⌛',
  bank: '🏦',
  envelope: '✉️',
  inbox_tray: '📥',
  outbox_tray: '📤',
  no_entry_sign: '🚫',
  no_entry: '⛔',
  warning: '⚠️',
  mag: '🔍',
  lock: '🔒',
  raised_hand: '✋',
  leftwards_arrow_with_hook: '↩️',
  page_facing_up: '📄',
  alarm_clock: '⏰',
  snail: '🐌',
  tada: '🎉',
  moneybag: '💰',
  money_with_wings: '💸',
  wave: '👋',
};

export const emojify = (text: string): string =>
  text.replace(/:([a-z0-9_+-]+):/g, (whole, name: string) => EMOJI[name] ?? whole);

/** One `<…>` token: mentions, channels, dates, special mentions and links. */
function renderToken(inner: string, r: Resolved): string {
  const [target = '', label] = splitOnce(inner, '|');
  if (target.startsWith('@')) {
    const id = target.slice(1);
    return `@${r.people[id] ?? label ?? id}`;
  }
  if (target.startsWith('#')) {
    const id = target.slice(1);
    return `#${r.channels[id] ?? label ?? id}`;
  }
  if (target.startsWith('!date^')) return label ?? target;
  if (target.startsWith('!subteam^')) return label ?? `@${target.slice('!subteam^'.length)}`;
  if (target.startsWith('!')) return `@${target.slice(1)}`;
  if (target.startsWith('mailto:')) return label ?? target.slice('mailto:'.length);
  return label && label !== target ? `${label} (${target})` : target;
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at === -1 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

const unescapeEntities = (text: string): string =>
  text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** Slack mrkdwn → terminal text. */
export function mrkdwn(text: string, options?: RenderOptions): string {
  const r = resolve(options);
  let out = text.replace(/<([^<>\s][^<>]*)>/g, (_whole, inner: string) => renderToken(inner, r));
  out = emojify(out);
  if (r.color) {
    out = out.replace(/`([^`\n]+)`/g, (_whole, code: string) => cyan(true, code));
    out = out.replace(
      /(^|[\s([_~"'])\*([^*\n]+)\*(?=$|[\s)\].,:;!?_~"'])/gm,
      (_whole, before: string, inner: string) => `${before}${bold(true, inner)}`,
    );
  }
  return unescapeEntities(out);
}

type Obj = Record<string, unknown>;
const isObj = (value: unknown): value is Obj => typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** A text object: mrkdwn is rendered; plain_text only gets its emoji. */
function textObject(value: unknown, r: Resolved): string {
  if (!isObj(value)) return '';
  const text = str(value.text) ?? '';
  return value.type === 'mrkdwn' ? mrkdwn(text, r) : emojify(text);
}

/** One interactive element, the way a button reads: `[Approve]`, `[Start onboarding → url]`. */
function element(value: unknown, r: Resolved): string {
  if (!isObj(value)) return '';
  const label = textObject(value.text, r) || textObject(value.placeholder, r);
  switch (value.type) {
    case 'button': {
      const url = str(value.url);
      const shown = `[${label}${url ? ` → ${url}` : ''}]`;
      if (!r.color) return shown;
      return value.style === 'primary' ? green(true, shown) : value.style === 'danger' ? yellow(true, shown) : shown;
    }
    case 'static_select':
    case 'external_select':
    case 'users_select':
    case 'conversations_select':
    case 'channels_select':
      return `[${label || 'Select'} ▾]`;
    case 'overflow':
      return '[⋯]';
    case 'datepicker':
      return `[📅 ${str(value.initial_date) ?? (label || 'date')}]`;
    case 'image':
      return `🖼 ${str(value.alt_text) ?? ''}`.trim();
    default:
      return `[${label || str(value.type) || '?'}]`;
  }
}

/** `*Amount*\n€10.00` → a label and a value, for lining fields up. */
function splitField(text: string): { label: string; value: string } | undefined {
  const match = /^\*([^*\n]+)\*\n([\s\S]*)$/.exec(text);
  return match ? { label: match[1] ?? '', value: match[2] ?? '' } : undefined;
}

function fields(values: unknown[], r: Resolved): string[] {
  const raw = values.map((f) =>
    isObj(f) ? { type: f.type, text: str(f.text) ?? '' } : { type: 'plain_text', text: '' },
  );
  const split = raw.map((f) => (f.type === 'mrkdwn' ? splitField(f.text) : undefined));
  if (split.every((s) => s !== undefined)) {
    const labels = split.map((s) => mrkdwn(s!.label, { ...r, color: false }));
    const width = Math.max(...labels.map((l) => l.length));
    return split.map(
      (s, i) => `${bold(r.color, (labels[i] ?? '').padEnd(width))}  ${mrkdwn(s!.value, r).replace(/\n/g, ' ')}`,
    );
  }
  return raw.map((f) => textObject(f, r));
}

function block(value: unknown, r: Resolved): string[] {
  if (!isObj(value)) return [];
  switch (value.type) {
    case 'header': {
      const title = textObject(value.text, r);
      return [bold(r.color, title), bold(r.color, '═'.repeat(Math.min(60, [...title].length)))];
    }
    case 'section': {
      const lines: string[] = [];
      if (value.text) lines.push(...textObject(value.text, r).split('\n'));
      if (Array.isArray(value.fields)) lines.push(...fields(value.fields, r));
      if (value.accessory) lines.push(element(value.accessory, r));
      return lines;
    }
    case 'context': {
      const parts = list(value.elements).map((e) =>
        isObj(e) && e.type === 'image' ? element(e, r) : textObject(e, r),
      );
      return [dim(r.color, parts.join('  ·  '))];
    }
    case 'divider':
      return [dim(r.color, '─'.repeat(40))];
    case 'actions':
      return [
        list(value.elements)
          .map((e) => element(e, r))
          .join(' '),
      ];
    case 'input': {
      const label = textObject(value.label, r);
      const hint = value.hint ? [dim(r.color, `   ${textObject(value.hint, r)}`)] : [];
      const input = value.element;
      const field =
        isObj(input) && String(input.type).endsWith('_input')
          ? `[${textObject(input.placeholder, r) || ' '.repeat(12)}]`
          : element(input, r);
      return [`${bold(r.color, label)}${value.optional ? dim(r.color, ' (optional)') : ''}: ${field}`, ...hint];
    }
    case 'image':
      return [element(value, r)];
    case 'rich_text':
      return [richText(value)];
    default:
      return [dim(r.color, `(${str(value.type) ?? 'unknown'} block)`)];
  }
}

/** rich_text: the plain characters only, enough to read. */
function richText(value: unknown): string {
  if (!isObj(value)) return '';
  if (typeof value.text === 'string') return value.text;
  return list(value.elements).map(richText).join('');
}

/** The body of a message: its blocks when it has some (as Slack shows), else its text. */
export function renderMessage(message: SlackLike, options?: RenderOptions): string {
  const r = resolve(options);
  const blocks = message.blocks ?? [];
  const lines = blocks.length > 0 ? blocks.flatMap((b) => block(b, r)) : mrkdwn(message.text ?? '', r).split('\n');
  return lines.join('\n');
}

/** `── #approvals (updated) ──` */
export function heading(label: string, options?: RenderOptions): string {
  const r = resolve(options);
  return cyan(r.color, `── ${label} ──`);
}

/** A heading and the message under it, indented so a run of messages reads as separate cards. */
export function card(label: string, message: SlackLike, options?: RenderOptions): string {
  const body = renderMessage(message, options)
    .split('\n')
    .map((line) => (line ? `   ${line}` : line))
    .join('\n');
  return `${heading(label, options)}\n${body}\n`;
}

/** `@seller1` for a seeded person, else the id. */
export function who(userId: string, options?: RenderOptions): string {
  return `@${resolve(options).people[userId] ?? userId}`;
}

/** `#approvals` for a seeded channel, else the id. */
export function where(channelId: string, options?: RenderOptions): string {
  return `#${resolve(options).channels[channelId] ?? channelId}`;
}

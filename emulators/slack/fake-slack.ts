import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback } from '../loopback.js';
import { messageProblems, viewProblems } from './block-kit.js';
import { FILE_DOWNLOAD_SCOPE, manifestBotScopes, SCOPE_OF_METHOD } from './scopes.js';

export interface FakeSlackUser {
  id: string;
  name: string;
  email?: string;
  tz?: string;
  isBot?: boolean;
}

export interface FakeSlackOptions {
  port?: number;
  teamId?: string;
  botUserId?: string;
  appId?: string;
  /** The bot token the app is given (default `xoxb-fake-bot-token`); any other token is `invalid_auth`. */
  botToken?: string;
  /** The scopes the bot token was granted; default: manifest.yml's bot scopes, as installing the app grants. */
  botScopes?: readonly string[];
  users?: FakeSlackUser[];
  /** usergroup id ('S123') → member user ids */
  usergroups?: Record<string, string[]>;
}

export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  at: number;
  /** Bearer token (or `token` body field) the call carried; never copied into `args`. */
  token?: string;
  /** Set for `response_url` calls: the URL that was posted to. */
  url?: string;
  /** Whether the fake answered `ok: true` (false for validation errors and injected failures). */
  ok: boolean;
}

export interface StoredMessage {
  channel: string;
  ts: string;
  text?: string;
  blocks?: unknown[];
  attachments?: unknown[];
  thread_ts?: string;
  metadata?: unknown;
  user: string;
  updatedCount: number;
}

export interface EphemeralMessage {
  via: 'chat.postEphemeral' | 'response_url';
  /** Who sees it; unknown for a response_url minted without a user. */
  user?: string;
  channel?: string;
  ts: string;
  text?: string;
  blocks?: unknown[];
  attachments?: unknown[];
  thread_ts?: string;
  /** response_url posts only: the raw response_type / replace_original the app sent. */
  response_type?: string;
  replace_original?: boolean;
}

export interface OpenView {
  id: string;
  team_id: string;
  app_id: string;
  bot_id: string;
  type: string;
  callback_id: string;
  private_metadata: string;
  external_id: string;
  hash: string;
  title?: unknown;
  submit?: unknown;
  close?: unknown;
  blocks: unknown[];
  state: { values: Record<string, Record<string, unknown>> };
  root_view_id: string | null;
  previous_view_id: string | null;
  clear_on_close: boolean;
  notify_on_close: boolean;
  /** How the view was opened and with which trigger (a Home tab: published, for `user_id`). */
  opened_via: 'views.open' | 'views.push' | 'views.publish';
  user_id?: string;
  trigger_id: string;
  updatedCount: number;
}

export interface UploadedFile {
  id: string;
  filename: string;
  title: string;
  length: number;
  content: Buffer;
  /** Where the bot downloads it with its token (and files:read), as Slack's file objects say. */
  url_private: string;
  url_private_download: string;
  channel?: string;
  initial_comment?: string;
  thread_ts?: string;
}

export interface SlackFile {
  id: string;
  created: number;
  timestamp: number;
  name: string;
  title: string;
  mimetype: string;
  filetype: string;
  size: number;
  url_private: string;
  url_private_download: string;
}

export interface ResponseUrlContext {
  userId?: string;
  channelId?: string;
  /** The message the interaction came from: `replace_original` / `delete_original` act on it. */
  messageTs?: string;
}

export interface FailureSpec {
  /** HTTP status; defaults to 429 when `retryAfter` is set, otherwise 200 with `ok: false`. */
  status?: number;
  /** Slack error code in the body; defaults to `ratelimited` (429), `internal_error` (5xx), `fatal_error` (200). */
  error?: string;
  /** Seconds, sent as the `Retry-After` header. */
  retryAfter?: number;
  /** How many consecutive calls fail; default 1. */
  count?: number;
}

export interface WaitForOptions {
  timeoutMs?: number;
  intervalMs?: number;
}

export interface FakeSlack {
  /** `http://127.0.0.1:PORT/api/`, for `new WebClient(token, { slackApiUrl })` / Bolt `clientOptions`. */
  apiUrl: string;
  url: string;
  teamId: string;
  botUserId: string;
  appId: string;
  botToken: string;
  close(): Promise<void>;
  calls: RecordedCall[];
  callsTo(method: string): RecordedCall[];
  messages(channel: string): StoredMessage[];
  message(channel: string, ts: string): StoredMessage | undefined;
  /**
   * chat.postEphemeral posts plus response_url posts that stay private, in order. A response_url post that
   * replaces/deletes a known original message or is `in_channel` changes `messages()` instead.
   */
  ephemerals(user?: string): EphemeralMessage[];
  views(): OpenView[];
  view(id: string): OpenView | undefined;
  /** The Home tab views.publish last set for this person. */
  homeView(userId: string): OpenView | undefined;
  /** Completed uploads (files.completeUploadExternal, storeFile), optionally only those shared to `channel`. */
  files(channel?: string): UploadedFile[];
  /** A file a person uploaded from their Slack client, stored and not shared: what a modal's file_input state carries. */
  storeFile(file: { filename: string; content: Buffer }): SlackFile;
  user(id: string): FakeSlackUser | undefined;
  responseUrl(context?: ResponseUrlContext): string;
  /** Make the next call(s) to `method` fail; `method` may also be `response_url`, `file_upload` or `file_download`. */
  failNext(method: string, opts: FailureSpec): void;
  waitFor<T>(probe: () => T | undefined | false | null, opts?: WaitForOptions): Promise<T>;
  addUser(user: FakeSlackUser): void;
  setUsergroup(id: string, members: string[]): void;
  /** Clears the call log only; messages, views, files and ephemerals are workspace state and stay. */
  reset(): void;
}

type Args = Record<string, unknown>;
type Reply =
  | { ok: true; [key: string]: unknown }
  | { ok: false; error: string; errors?: string[]; response_metadata?: { messages: string[] } }
  | { ok: false; error: 'missing_scope'; needed: string; provided: string };

// WebClient JSON-encodes every non-scalar argument into form fields; these are the ones methods here read.
const JSON_FIELDS = new Set(['blocks', 'attachments', 'view', 'metadata', 'files']);

const fail = (error: string): Reply => ({ ok: false, error });

/** Slack's answer to content over Block Kit's limits: the error code, and each problem as Slack lists them. */
function refusal(problems: string[], code: string): Reply | undefined {
  if (problems.length === 0) return undefined;
  return {
    ok: false,
    error: code,
    errors: problems,
    response_metadata: { messages: problems.map((p) => `[ERROR] ${p}`) },
  };
}

const messageRefusal = (args: Args): Reply | undefined => {
  const problems = messageProblems(args);
  return refusal(
    problems,
    problems.some((p) => p.endsWith('[json-pointer:/text]')) ? 'msg_too_long' : 'invalid_blocks',
  );
};

const viewRefusal = (view: Args): Reply | undefined => refusal(viewProblems(view), 'invalid_arguments');

function asString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function asFlag(value: unknown): boolean {
  return value === true || value === 'true' || value === '1' || value === 1;
}

function asArray(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

interface MessageContent {
  text?: string;
  blocks?: unknown[];
  attachments?: unknown[];
  thread_ts?: string;
}

/** The parts of a message a call sent, keeping only those present. */
function messageContent(args: Args): MessageContent {
  const content: MessageContent = {};
  const text = asString(args.text);
  if (text !== undefined) content.text = text;
  const blocks = asArray(args.blocks);
  if (blocks) content.blocks = blocks;
  const attachments = asArray(args.attachments);
  if (attachments) content.attachments = attachments;
  const threadTs = asString(args.thread_ts);
  if (threadTs) content.thread_ts = threadTs;
  return content;
}

const isEmpty = (content: MessageContent) => !content.text && !content.blocks?.length && !content.attachments?.length;

function decodeField(key: string, value: string): unknown {
  if (!JSON_FIELDS.has(key)) return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

async function parseBody(contentType: string, raw: Buffer): Promise<Args> {
  if (raw.length === 0) return {};
  if (contentType.startsWith('application/json')) {
    const parsed = JSON.parse(raw.toString('utf8')) as unknown;
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Args)
      : { body: parsed };
  }
  if (contentType.startsWith('multipart/form-data')) {
    const form = await new Request('http://fake.invalid/', {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: raw,
    }).formData();
    const args: Args = {};
    for (const [key, value] of form) {
      args[key] = typeof value === 'string' ? decodeField(key, value) : Buffer.from(await value.arrayBuffer());
    }
    return args;
  }
  const args: Args = {};
  for (const [key, value] of new URLSearchParams(raw.toString('utf8'))) args[key] = decodeField(key, value);
  return args;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function tzInfo(tz: string, at: Date): { tz_label: string; tz_offset: number } {
  const part = (style: 'longOffset' | 'long') =>
    new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: style })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value ?? '';
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(part('longOffset'));
  const offset = match ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 3600 + Number(match[3]) * 60) : 0;
  return { tz_label: part('long'), tz_offset: offset };
}

function assertValidTz(tz: string | undefined): void {
  if (tz !== undefined) new Intl.DateTimeFormat('en-US', { timeZone: tz });
}

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const teamId = options.teamId ?? 'T0TEAM';
  const botUserId = options.botUserId ?? 'UBOT';
  const appId = options.appId ?? 'A0APP';
  const botId = 'B0BOT';
  const botToken = options.botToken ?? 'xoxb-fake-bot-token';
  const botScopes = [...(options.botScopes ?? manifestBotScopes())];

  const users = new Map<string, FakeSlackUser>();
  const usergroups = new Map<string, string[]>(Object.entries(options.usergroups ?? {}));
  const calls: RecordedCall[] = [];
  const channels = new Map<string, StoredMessage[]>();
  const messageIndex = new Map<string, StoredMessage>();
  const ephemeralLog: EphemeralMessage[] = [];
  const openViews = new Map<string, OpenView>();
  const uploads = new Map<string, UploadedFile & { uploaded: boolean; completed: boolean }>();
  const responseUrls = new Map<string, ResponseUrlContext>();
  const failures = new Map<string, Array<FailureSpec & { count: number }>>();
  let seq = 0;
  let lastMicros = 0;

  const addUser = (user: FakeSlackUser): void => {
    assertValidTz(user.tz);
    users.set(user.id, user);
  };
  addUser({ id: botUserId, name: 'payout-bot', isBot: true });
  for (const user of options.users ?? []) addUser(user);

  // Slack ts values are "seconds.micros"; keep them strictly increasing even within one millisecond.
  const nextTs = (): string => {
    lastMicros = Math.max(Date.now() * 1000, lastMicros + 1);
    return `${Math.floor(lastMicros / 1e6)}.${String(lastMicros % 1e6).padStart(6, '0')}`;
  };
  const nextId = (prefix: string): string => `${prefix}0${(++seq).toString(36).toUpperCase().padStart(8, '0')}`;

  const resolveChannel = (value: unknown): string | undefined => {
    const channel = asString(value);
    if (!channel) return undefined;
    if (/^[UW][A-Z0-9]+$/.test(channel)) return users.has(channel) ? `D${channel}` : undefined;
    return /^[CDG][A-Z0-9]+$/.test(channel) ? channel : undefined;
  };

  const storeMessage = (message: StoredMessage): void => {
    const list = channels.get(message.channel);
    if (list) list.push(message);
    else channels.set(message.channel, [message]);
    messageIndex.set(`${message.channel}/${message.ts}`, message);
  };

  const deleteMessage = (channel: string, ts: string): void => {
    messageIndex.delete(`${channel}/${ts}`);
    const list = channels.get(channel);
    const at = list?.findIndex((m) => m.ts === ts) ?? -1;
    if (list && at >= 0) list.splice(at, 1);
  };

  const messageJson = (m: StoredMessage) => ({
    type: 'message',
    user: m.user,
    bot_id: botId,
    app_id: appId,
    team: teamId,
    ts: m.ts,
    text: m.text ?? '',
    ...(m.blocks ? { blocks: m.blocks } : {}),
    ...(m.attachments ? { attachments: m.attachments } : {}),
    ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}),
    ...(m.metadata ? { metadata: m.metadata } : {}),
  });

  const userJson = (u: FakeSlackUser) => {
    const tz = u.tz ?? 'America/Los_Angeles';
    return {
      id: u.id,
      team_id: teamId,
      name: u.name,
      deleted: false,
      real_name: u.name,
      tz,
      ...tzInfo(tz, new Date()),
      is_bot: u.isBot ?? false,
      is_app_user: false,
      profile: { real_name: u.name, display_name: u.name, ...(u.email ? { email: u.email } : {}) },
    };
  };

  const viewFromArgs = (args: Args): Args | undefined => {
    const view = args.view;
    return view !== null && typeof view === 'object' && !Array.isArray(view) ? (view as Args) : undefined;
  };

  const viewJson = (v: OpenView) => {
    const { opened_via: _via, trigger_id: _trigger, updatedCount: _count, user_id: _user, ...view } = v;
    return view;
  };

  const openView = (method: 'views.open' | 'views.push', args: Args): Reply => {
    const triggerId = asString(args.trigger_id);
    const view = viewFromArgs(args);
    if (!triggerId || !view || typeof view.type !== 'string') return fail('invalid_arguments');
    const refused = viewRefusal(view);
    if (refused) return refused;
    const id = nextId('V');
    const stored: OpenView = {
      id,
      team_id: teamId,
      app_id: appId,
      bot_id: botId,
      type: view.type,
      callback_id: asString(view.callback_id) ?? '',
      private_metadata: asString(view.private_metadata) ?? '',
      external_id: asString(view.external_id) ?? '',
      hash: `${Math.floor(Date.now() / 1000)}.${nextId('H')}`,
      title: view.title,
      submit: view.submit,
      close: view.close,
      blocks: asArray(view.blocks) ?? [],
      state: { values: {} },
      root_view_id: method === 'views.open' ? id : null,
      previous_view_id: null,
      clear_on_close: asFlag(view.clear_on_close),
      notify_on_close: asFlag(view.notify_on_close),
      opened_via: method,
      trigger_id: triggerId,
      updatedCount: 0,
    };
    openViews.set(id, stored);
    return { ok: true, view: viewJson(stored) };
  };

  const newFile = (filename: string, length: number) => {
    const id = nextId('F');
    const name = encodeURIComponent(filename);
    const file = {
      id,
      filename,
      title: filename,
      length,
      content: Buffer.alloc(0),
      url_private: `${base}/files/${id}/${name}`,
      url_private_download: `${base}/files/${id}/download/${name}`,
      uploaded: false,
      completed: false,
    };
    uploads.set(id, file);
    return file;
  };

  /** A file object as Slack's payloads carry it (an upload's answer, a file_input's state). */
  const fileJson = (file: UploadedFile, created = Math.floor(Date.now() / 1000)): SlackFile => {
    const filetype = /\.([A-Za-z0-9]+)$/.exec(file.filename)?.[1]?.toLowerCase() ?? 'text';
    return {
      id: file.id,
      created,
      timestamp: created,
      name: file.filename,
      title: file.title,
      mimetype: filetype === 'csv' ? 'text/csv' : 'application/octet-stream',
      filetype,
      size: file.content.length,
      url_private: file.url_private,
      url_private_download: file.url_private_download,
    };
  };

  /** Slack's answer to a token it does not know or that lacks `needed`; undefined when the call may go on. */
  const refuseToken = (token: string | undefined, needed: string | null): Reply | undefined => {
    if (!token) return fail('not_authed');
    if (token !== botToken) return fail('invalid_auth');
    if (needed && !botScopes.includes(needed))
      return { ok: false, error: 'missing_scope', needed, provided: botScopes.join(',') };
    return undefined;
  };

  const methods: Record<string, (args: Args) => Reply> = {
    'auth.test': () => ({
      ok: true,
      url: 'https://fake-team.slack.com/',
      team: 'Fake Team',
      user: users.get(botUserId)?.name ?? 'bot',
      team_id: teamId,
      user_id: botUserId,
      bot_id: botId,
      is_enterprise_install: false,
    }),

    'chat.postMessage': (args) => {
      const channel = resolveChannel(args.channel);
      if (!channel) return fail('channel_not_found');
      const content = messageContent(args);
      if (isEmpty(content)) return fail('no_text');
      const refused = messageRefusal(args);
      if (refused) return refused;
      const message: StoredMessage = { channel, ts: nextTs(), user: botUserId, updatedCount: 0, ...content };
      if (args.metadata !== undefined) message.metadata = args.metadata;
      storeMessage(message);
      return { ok: true, channel, ts: message.ts, message: messageJson(message) };
    },

    'chat.update': (args) => {
      const channel = resolveChannel(args.channel);
      if (!channel) return fail('channel_not_found');
      const ts = asString(args.ts) ?? '';
      const message = messageIndex.get(`${channel}/${ts}`);
      if (!message) return fail('message_not_found');
      const refused = messageRefusal(args);
      if (refused) return refused;
      // Slack keeps whatever the update leaves out.
      const text = asString(args.text);
      if (text !== undefined) message.text = text;
      const blocks = asArray(args.blocks);
      if (blocks) message.blocks = blocks;
      const attachments = asArray(args.attachments);
      if (attachments) message.attachments = attachments;
      if (args.metadata !== undefined) message.metadata = args.metadata;
      message.updatedCount += 1;
      return { ok: true, channel, ts, text: message.text ?? '', message: messageJson(message) };
    },

    'chat.postEphemeral': (args) => {
      const channel = resolveChannel(args.channel);
      if (!channel) return fail('channel_not_found');
      const user = asString(args.user);
      if (!user) return fail('user_not_found');
      const content = messageContent(args);
      if (isEmpty(content)) return fail('no_text');
      const refused = messageRefusal(args);
      if (refused) return refused;
      const entry: EphemeralMessage = { via: 'chat.postEphemeral', user, channel, ts: nextTs(), ...content };
      ephemeralLog.push(entry);
      return { ok: true, message_ts: entry.ts };
    },

    'conversations.open': (args) => {
      const ids = (asString(args.users) ?? '')
        .split(',')
        .map((u) => u.trim())
        .filter(Boolean);
      if (ids.length === 0) return fail('users_list_not_supplied');
      const unknown = ids.find((id) => !users.has(id));
      if (unknown) return fail('user_not_found');
      const id = ids.length === 1 ? `D${ids[0]}` : `G${[...ids].sort().join('')}`;
      return { ok: true, channel: { id } };
    },

    'views.open': (args) => openView('views.open', args),
    'views.push': (args) => openView('views.push', args),

    // One Home tab per person: published again, it is replaced; a stale `hash` is refused as Slack does.
    'views.publish': (args) => {
      const userId = asString(args.user_id);
      const view = viewFromArgs(args);
      if (!userId || !users.has(userId)) return fail('user_not_found');
      if (view?.type !== 'home') return fail('invalid_arguments');
      const refused = viewRefusal(view);
      if (refused) return refused;
      const existing = [...openViews.values()].find((v) => v.type === 'home' && v.user_id === userId);
      const hash = asString(args.hash);
      if (hash && existing && hash !== existing.hash) return fail('hash_conflict');
      const id = existing?.id ?? nextId('V');
      const stored: OpenView = {
        id,
        team_id: teamId,
        app_id: appId,
        bot_id: botId,
        type: 'home',
        callback_id: asString(view.callback_id) ?? '',
        private_metadata: asString(view.private_metadata) ?? '',
        external_id: asString(view.external_id) ?? '',
        hash: `${Math.floor(Date.now() / 1000)}.${nextId('H')}`,
        blocks: asArray(view.blocks) ?? [],
        state: { values: {} },
        root_view_id: id,
        previous_view_id: null,
        clear_on_close: false,
        notify_on_close: false,
        opened_via: 'views.publish',
        user_id: userId,
        trigger_id: '',
        updatedCount: existing ? existing.updatedCount + 1 : 0,
      };
      openViews.set(id, stored);
      return { ok: true, view: viewJson(stored) };
    },

    'chat.getPermalink': (args) => {
      const channel = resolveChannel(args.channel);
      const ts = asString(args.message_ts) ?? '';
      if (!channel) return fail('channel_not_found');
      if (!messageIndex.has(`${channel}/${ts}`)) return fail('message_not_found');
      return {
        ok: true,
        channel,
        permalink: `https://fake-team.slack.com/archives/${channel}/p${ts.replace('.', '')}`,
      };
    },

    'views.update': (args) => {
      const viewId = asString(args.view_id);
      const externalId = asString(args.external_id);
      const stored = viewId
        ? openViews.get(viewId)
        : [...openViews.values()].find((v) => externalId && v.external_id === externalId);
      if (!stored) return fail('not_found');
      const hash = asString(args.hash);
      if (hash && hash !== stored.hash) return fail('hash_conflict');
      const view = viewFromArgs(args);
      if (!view || typeof view.type !== 'string') return fail('invalid_arguments');
      const refused = viewRefusal(view);
      if (refused) return refused;
      stored.type = view.type;
      stored.callback_id = asString(view.callback_id) ?? '';
      stored.private_metadata = asString(view.private_metadata) ?? '';
      stored.external_id = asString(view.external_id) ?? stored.external_id;
      stored.title = view.title;
      stored.submit = view.submit;
      stored.close = view.close;
      stored.blocks = asArray(view.blocks) ?? [];
      stored.hash = `${Math.floor(Date.now() / 1000)}.${nextId('H')}`;
      stored.updatedCount += 1;
      return { ok: true, view: viewJson(stored) };
    },

    'users.info': (args) => {
      const user = users.get(asString(args.user) ?? '');
      return user ? { ok: true, user: userJson(user) } : fail('user_not_found');
    },

    'users.lookupByEmail': (args) => {
      const email = asString(args.email)?.toLowerCase();
      const user = [...users.values()].find((u) => email && u.email?.toLowerCase() === email);
      return user ? { ok: true, user: userJson(user) } : fail('users_not_found');
    },

    'usergroups.users.list': (args) => {
      const members = usergroups.get(asString(args.usergroup) ?? '');
      return members ? { ok: true, users: [...members] } : fail('no_such_subteam');
    },

    'files.getUploadURLExternal': (args) => {
      const filename = asString(args.filename);
      const length = Number(asString(args.length));
      if (!filename || !Number.isInteger(length) || length <= 0) return fail('invalid_arguments');
      const id = newFile(filename, length).id;
      return { ok: true, upload_url: `${base}/upload/${id}`, file_id: id };
    },

    'files.completeUploadExternal': (args) => {
      const requested = asArray(args.files);
      if (!requested?.length) return fail('invalid_arguments');
      const entries = requested.map((f) => (f !== null && typeof f === 'object' ? (f as Args) : {}));
      const pending = entries.map((f) => uploads.get(asString(f.id) ?? ''));
      if (pending.some((u) => !u?.uploaded)) return fail('file_not_found');
      const channel = asString(args.channel_id) ?? asString(args.channels);
      if (channel && !resolveChannel(channel)) return fail('channel_not_found');
      const initialComment = asString(args.initial_comment);
      const threadTs = asString(args.thread_ts);
      const created = Math.floor(Date.now() / 1000);
      const files = pending.map((upload, i) => {
        const file = upload!;
        file.completed = true;
        file.title = asString(entries[i]?.title) ?? file.filename;
        if (channel) file.channel = resolveChannel(channel)!;
        if (initialComment) file.initial_comment = initialComment;
        if (threadTs) file.thread_ts = threadTs;
        return { ...fileJson(file, created), user: botUserId, channels: file.channel ? [file.channel] : [] };
      });
      return { ok: true, files };
    },
  };

  const record = (call: RecordedCall): RecordedCall => {
    calls.push(call);
    return call;
  };

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, {
      'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
      ...headers,
    });
    res.end(text);
  };

  /** Answers an injected failure if one is queued for `method`; returns whether it did. */
  const injectFailure = (method: string, res: ServerResponse, call: RecordedCall): boolean => {
    const queue = failures.get(method);
    const failure = queue?.[0];
    if (!queue || !failure) return false;
    failure.count -= 1;
    if (failure.count <= 0) queue.shift();
    const status = failure.status ?? (failure.retryAfter !== undefined ? 429 : 200);
    const error = failure.error ?? (status === 429 ? 'ratelimited' : status >= 500 ? 'internal_error' : 'fatal_error');
    call.ok = false;
    send(
      res,
      status,
      { ok: false, error },
      failure.retryAfter !== undefined ? { 'retry-after': String(failure.retryAfter) } : {},
    );
    return true;
  };

  const handleApi = (method: string, args: Args, req: IncomingMessage, res: ServerResponse): void => {
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const token = bearer ?? asString(args.token);
    delete args.token;
    const call = record({ method, args, at: Date.now(), ok: false, ...(token ? { token } : {}) });
    if (injectFailure(method, res, call)) return;
    const handler = methods[method];
    const reply = handler
      ? (refuseToken(token, SCOPE_OF_METHOD[method] ?? null) ?? handler(args))
      : fail('unknown_method');
    call.ok = reply.ok;
    send(res, 200, reply, token === botToken ? { 'x-oauth-scopes': botScopes.join(',') } : {});
  };

  const handleResponseUrl = (id: string, args: Args, res: ServerResponse): void => {
    const context = responseUrls.get(id);
    const call = record({ method: 'response_url', args, at: Date.now(), url: `${base}/response/${id}`, ok: false });
    if (!context) {
      send(res, 404, 'no_service');
      return;
    }
    if (injectFailure('response_url', res, call)) return;
    // Slack answers a response_url post it cannot show with a 400 and the error in plain text.
    const refused = messageRefusal(args);
    if (refused && !refused.ok) {
      send(res, 400, refused.error);
      return;
    }
    call.ok = true;
    const channel = context.channelId;
    const original = channel && context.messageTs ? messageIndex.get(`${channel}/${context.messageTs}`) : undefined;
    const text = asString(args.text);
    const blocks = asArray(args.blocks);
    const attachments = asArray(args.attachments);
    if (asFlag(args.delete_original) && original) {
      deleteMessage(original.channel, original.ts);
    } else if (asFlag(args.replace_original) && original) {
      original.text = text ?? '';
      if (blocks) original.blocks = blocks;
      else delete original.blocks;
      if (attachments) original.attachments = attachments;
      else delete original.attachments;
      original.updatedCount += 1;
    } else if (args.response_type === 'in_channel' && channel) {
      storeMessage({ channel, ts: nextTs(), user: botUserId, updatedCount: 0, ...messageContent(args) });
    } else {
      const entry: EphemeralMessage = { via: 'response_url', ts: nextTs() };
      if (context.userId) entry.user = context.userId;
      if (channel) entry.channel = channel;
      if (text !== undefined) entry.text = text;
      if (blocks) entry.blocks = blocks;
      if (attachments) entry.attachments = attachments;
      if (typeof args.response_type === 'string') entry.response_type = args.response_type;
      if (args.replace_original !== undefined) entry.replace_original = asFlag(args.replace_original);
      ephemeralLog.push(entry);
    }
    send(res, 200, { ok: true });
  };

  const handleUpload = (id: string, args: Args, raw: Buffer, res: ServerResponse): void => {
    const upload = uploads.get(id);
    const content = Object.values(args).find((v): v is Buffer => Buffer.isBuffer(v)) ?? raw;
    const call = record({
      method: 'file_upload',
      args: { file_id: id, length: content.length },
      at: Date.now(),
      ok: false,
    });
    if (!upload) {
      send(res, 404, 'not_found');
      return;
    }
    if (injectFailure('file_upload', res, call)) return;
    call.ok = true;
    upload.content = content;
    upload.uploaded = true;
    send(res, 200, `OK - ${content.length}`);
  };

  /**
   * GET url_private(_download). Slack answers a token without files:read with a sign-in page; the fake answers 403
   * with the Web API's missing_scope body, so a test says why.
   */
  const handleDownload = (id: string, req: IncomingMessage, res: ServerResponse): void => {
    const token = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const call = record({
      method: 'file_download',
      args: { file_id: id },
      at: Date.now(),
      ok: false,
      ...(token ? { token } : {}),
    });
    const refused = refuseToken(token, FILE_DOWNLOAD_SCOPE);
    if (refused) {
      send(res, 403, refused);
      return;
    }
    const file = uploads.get(id);
    if (!file?.completed) {
      send(res, 404, 'file_not_found');
      return;
    }
    if (injectFailure('file_download', res, call)) return;
    call.ok = true;
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': file.content.length });
    res.end(file.content);
  };

  const server = createServer((req, res) => {
    readBody(req)
      .then(async (raw) => {
        const path = (req.url ?? '/').split('?')[0] ?? '/';
        const download = /^\/files\/([^/]+)\/(?:download\/)?[^/]+$/.exec(path);
        if (download && req.method === 'GET') return handleDownload(download[1]!, req, res);
        const route = /^\/(api|response|upload)\/([^/]+)$/.exec(path);
        if (!route || req.method !== 'POST') {
          send(res, 404, 'not_found');
          return;
        }
        const [, kind, name = ''] = route;
        const contentType = req.headers['content-type'] ?? '';
        let args: Args;
        try {
          args = await parseBody(contentType, raw);
        } catch {
          return send(res, kind === 'api' ? 200 : 400, kind === 'api' ? fail('invalid_form_data') : 'invalid_payload');
        }
        if (kind === 'api') return handleApi(decodeURIComponent(name), args, req, res);
        if (kind === 'response') return handleResponseUrl(name, args, res);
        return handleUpload(name, args, raw, res);
      })
      .catch((error: unknown) => {
        if (!res.headersSent) send(res, 500, { ok: false, error: `fake_slack_crashed: ${String(error)}` });
      });
  });

  const port = await listenOnLoopback(server, options.port);
  const base = `http://127.0.0.1:${port}`;

  const fake: FakeSlack = {
    apiUrl: `${base}/api/`,
    url: base,
    teamId,
    botUserId,
    appId,
    botToken,
    calls,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
    callsTo: (method) => calls.filter((c) => c.method === method),
    messages: (channel) => [...(channels.get(resolveChannel(channel) ?? channel) ?? [])],
    message: (channel, ts) => messageIndex.get(`${resolveChannel(channel) ?? channel}/${ts}`),
    ephemerals: (user) => ephemeralLog.filter((e) => user === undefined || e.user === user),
    views: () => [...openViews.values()],
    view: (id) => openViews.get(id),
    homeView: (userId) => [...openViews.values()].find((v) => v.type === 'home' && v.user_id === userId),
    files: (channel) =>
      [...uploads.values()]
        .filter((f) => f.completed && (channel === undefined || f.channel === (resolveChannel(channel) ?? channel)))
        .map(({ uploaded: _uploaded, completed: _completed, ...file }) => file),
    storeFile: ({ filename, content }) =>
      fileJson(Object.assign(newFile(filename, content.length), { content, uploaded: true, completed: true })),
    user: (id) => users.get(id),
    responseUrl: (context = {}) => {
      const id = nextId('R');
      responseUrls.set(id, context);
      return `${base}/response/${id}`;
    },
    failNext: (method, opts) => {
      const queue = failures.get(method) ?? [];
      queue.push({ ...opts, count: opts.count ?? 1 });
      failures.set(method, queue);
    },
    waitFor: async (probe, opts = {}) => {
      // What tests wait for comes after the ack (Stripe, queues, workers): on a busy 2-core CI machine that can take seconds.
      const timeoutMs = opts.timeoutMs ?? 10_000;
      const intervalMs = opts.intervalMs ?? 10;
      const deadline = Date.now() + timeoutMs;
      let lastError: unknown;
      for (;;) {
        try {
          const value = probe();
          if (value) return value;
        } catch (error) {
          lastError = error;
        }
        if (Date.now() >= deadline) break;
        await new Promise((resolve) => setTimeout(resolve, intervalMs));
      }
      const recent = calls
        .slice(-10)
        .map(
          (c) =>
            `${c.method}${c.ok ? '' : ' (failed)'}${typeof c.args.channel === 'string' ? ` ${c.args.channel}` : ''}`,
        )
        .join(', ');
      throw new Error(
        `fakeSlack.waitFor timed out after ${timeoutMs}ms` +
          (lastError
            ? `; last probe error: ${lastError instanceof Error ? lastError.message : String(lastError)}`
            : '') +
          `; ${calls.length} calls recorded, last ${Math.min(10, calls.length)}: [${recent}]`,
      );
    },
    addUser,
    setUsergroup: (id, members) => {
      usergroups.set(id, [...members]);
    },
    reset: () => {
      calls.length = 0;
    },
  };
  return fake;
}

import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import type { EphemeralMessage, FakeSlack, OpenView, StoredMessage } from '../emulators/slack/fake-slack.js';
import type { SlackHttpResult, SlackSender } from '../emulators/slack/signed-requests.js';
import type { StripeEmulator } from '../emulators/stripe/server.js';
import type { TopupOutcome } from '../emulators/stripe/state.js';
import {
  actionJson,
  blockIdOf,
  blockSuggestion,
  formBody,
  type Json,
  messageBlockActions,
  messageJson,
  type PayloadContext,
  type Selection,
  viewBlockActions,
  viewClosed,
  viewJson,
} from './payloads.js';
import { type Directory, escapeSlashText, splitSlashCommand } from './slash-text.js';

export interface SandboxPerson {
  id: string;
  name: string;
  role: string;
}

export interface SandboxChannel {
  id: string;
  name: string;
  topic: string;
}

export interface ConsoleServerOptions {
  /** On 127.0.0.1; 0 picks a spare port. */
  port: number;
  slack: FakeSlack;
  stripe: StripeEmulator;
  /** Signs and sends requests to the bot's /slack/events. */
  sender: SlackSender;
  people: SandboxPerson[];
  channels: SandboxChannel[];
  botUrl: string;
  /** The bot's funding forecast and a way to let days pass (both clocks move; funds settle; schedules fire). */
  time?: SandboxTime;
}

/** What the header shows of the forecast: today (the sandbox's clocks), and the next shortfall per currency. */
export interface FundingSummary {
  today: string;
  shortfalls: { currency: string; day: string; amount: number; lastTopupDay: string }[];
}

export interface SandboxTime {
  summary(): Promise<FundingSummary>;
  /** Moves to the next business day; returns what fired on the way. */
  nextDay(): Promise<{ fired: string[] }>;
}

/** The forecast is read at most this often for the header (it asks Stripe and Redis). */
const FUNDING_REFRESH_MS = 5_000;

export interface ConsoleServer {
  url: string;
  app: FastifyInstance;
  close(): Promise<void>;
}

const PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));
const ASSETS: Record<string, string> = {
  'app.js': 'text/javascript; charset=utf-8',
  'blockkit.js': 'text/javascript; charset=utf-8',
  'style.css': 'text/css; charset=utf-8',
};
const SLASH_COMMAND = '/payout';

type Values = Record<string, Record<string, unknown>>;

/** A modal as the console shows it: the bot's view on the fake Slack, or one the bot answered a submission with. */
interface ConsoleView {
  id: string;
  owner: string;
  /** Set when the bot replied `response_action: update|push`: that view JSON, until the bot calls views.update. */
  local?: { view: Json; slackUpdatedCount: number };
}

interface TimelineItem {
  kind: 'message' | 'ephemeral' | 'file';
  ts: string;
  [key: string]: unknown;
}

interface Upload {
  name: string;
  /** base64 */
  content: string;
}

const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** The Slack console: one page, and the API it polls and posts to. Everything it sends the bot is signed like Slack's. */
export async function startConsoleServer(options: ConsoleServerOptions): Promise<ConsoleServer> {
  const { slack, stripe, sender, people, channels } = options;
  const app = Fastify({ logger: false, bodyLimit: 12 * 1024 * 1024 });

  const triggerOwners = new Map<string, string>();
  const views = new Map<string, ConsoleView>();
  const closed = new Set<string>();
  let triggerSeq = 0;

  const personById = new Map(people.map((p) => [p.id, p]));
  const directory: Directory = {
    user: (nameOrId) => {
      const wanted = nameOrId.toLowerCase();
      const person = people.find((p) => p.name.toLowerCase() === wanted || p.id.toLowerCase() === wanted);
      return person ? { id: person.id, name: person.name } : undefined;
    },
    channel: (name) => {
      const channel = channels.find((c) => c.name === name.toLowerCase() || c.id === name.toUpperCase());
      return channel ? { id: channel.id, name: channel.name } : undefined;
    },
  };
  const dmOf = (userId: string) => `D${userId}`;
  const conversationIds = () => [...channels.map((c) => c.id), ...people.map((p) => dmOf(p.id))];
  const channelName = (id: string) =>
    channels.find((c) => c.id === id)?.name ?? (id.startsWith('D') ? 'directmessage' : id.toLowerCase());

  /** Like Slack's: unique per interaction; remembered so the modal it opens shows for the right person. */
  const mintTrigger = (userId: string): string => {
    const id = `${Math.floor(Date.now() / 1000)}.${++triggerSeq}.${randomBytes(8).toString('hex')}`;
    triggerOwners.set(id, userId);
    return id;
  };

  const context = (userId: string): PayloadContext => ({
    teamId: slack.teamId,
    appId: slack.appId,
    botUserId: slack.botUserId,
    user: { id: userId, name: personById.get(userId)?.name ?? userId.toLowerCase() },
    triggerId: mintTrigger(userId),
  });

  // ---- modals ---------------------------------------------------------------------------------------------------

  /** Picks up views the bot opened (views.open / views.push) with a trigger this console minted. */
  const syncViews = () => {
    for (const view of slack.views()) {
      if (views.has(view.id)) continue;
      const owner = triggerOwners.get(view.trigger_id);
      if (owner) views.set(view.id, { id: view.id, owner });
    }
  };

  /** The JSON the console renders and the payloads carry for a view, or undefined when it is gone. */
  const currentView = (entry: ConsoleView): { json: Json; slackView?: OpenView } | undefined => {
    const slackView = slack.view(entry.id);
    if (entry.local && (!slackView || slackView.updatedCount === entry.local.slackUpdatedCount)) {
      return { json: { ...entry.local.view, id: entry.id }, ...(slackView ? { slackView } : {}) };
    }
    return slackView ? { json: viewJson(slackView, slack.teamId, {}), slackView } : undefined;
  };

  const openStack = (userId: string): ConsoleView[] => {
    syncViews();
    return [...views.values()].filter((v) => v.owner === userId && !closed.has(v.id));
  };

  const ownedView = (userId: string, viewId: string): ConsoleView | undefined => {
    syncViews();
    const entry = views.get(viewId);
    return entry && entry.owner === userId && !closed.has(viewId) ? entry : undefined;
  };

  // ---- what the page shows --------------------------------------------------------------------------------------

  const messageItem = (m: StoredMessage): TimelineItem => ({
    kind: 'message',
    ts: m.ts,
    text: m.text ?? '',
    ...(m.blocks ? { blocks: m.blocks } : {}),
    ...(m.attachments ? { attachments: m.attachments } : {}),
    ...(m.thread_ts && m.thread_ts !== m.ts ? { thread_ts: m.thread_ts } : {}),
    updated: m.updatedCount,
  });

  const ephemeralItem = (e: EphemeralMessage): TimelineItem => ({
    kind: 'ephemeral',
    ts: e.ts,
    text: e.text ?? '',
    ...(e.blocks ? { blocks: e.blocks } : {}),
    ...(e.attachments ? { attachments: e.attachments } : {}),
  });

  /** Files the bot shared (e.g. `/payout audit export`), placed at the time of their files.completeUploadExternal. */
  const fileItems = (channel: string): TimelineItem[] =>
    slack.files(channel).map((file) => {
      const call = slack.calls.find(
        (c) =>
          c.method === 'files.completeUploadExternal' &&
          c.ok &&
          JSON.stringify(c.args.files ?? '').includes(`"${file.id}"`),
      );
      const at = call?.at ?? Date.now();
      return {
        kind: 'file',
        ts: `${Math.floor(at / 1000)}.${String((at % 1000) * 1000).padStart(6, '0')}`,
        id: file.id,
        name: file.filename,
        title: file.title,
        size: file.content.length,
        comment: file.initial_comment ?? '',
      };
    });

  const byTs = (a: TimelineItem, b: TimelineItem) => Number(a.ts) - Number(b.ts);

  let funding: FundingSummary | null = null;
  let fundingReadAt = 0;
  const refreshFunding = async () => {
    fundingReadAt = Date.now();
    funding = (await options.time?.summary().catch(() => null)) ?? funding;
  };

  const snapshot = (userId: string) => {
    if (options.time && Date.now() - fundingReadAt > FUNDING_REFRESH_MS) void refreshFunding();
    const conversations: Record<string, TimelineItem[]> = {};
    for (const id of conversationIds()) {
      const ephemerals = slack.ephemerals(userId).filter((e) => e.channel === id);
      conversations[id] = [
        ...slack.messages(id).map(messageItem),
        ...ephemerals.map(ephemeralItem),
        ...fileItems(id),
      ].sort(byTs);
    }
    const top = openStack(userId).at(-1);
    const shown = top ? currentView(top) : undefined;
    const balance = stripe.control.balance();
    const home = slack.homeView(userId);
    return {
      conversations,
      // The App Home tab views.publish last set for this person (opened through /api/home).
      home: home ? { id: home.id, blocks: home.blocks, updated: home.updatedCount } : null,
      modal: top && shown ? { id: top.id, view: shown.json } : null,
      balance: {
        available: balance.available.map(({ amount, currency }) => ({ amount, currency })),
        pending: balance.pending.map(({ amount, currency }) => ({ amount, currency })),
      },
      pendingTopups: stripe.control
        .topups()
        .filter((t) => t.status === 'pending')
        .map((t) => ({ id: t.id, amount: t.amount, currency: t.currency, description: t.description })),
      // The latest transfers a seller's bank or ops could still claw back: rehearse a reversal.
      reversibleTransfers: stripe.control
        .transfers()
        .filter((t) => t.amount_reversed < t.amount)
        .slice(-3)
        .map((t) => ({ id: t.id, amount: t.amount - t.amount_reversed, currency: t.currency })),
      stripeRequests: stripe.control.requests.length,
      funding,
    };
  };

  // ---- talking to the bot ---------------------------------------------------------------------------------------

  const botReply = (result: SlackHttpResult) => ({
    status: result.status,
    ...(result.json !== undefined ? { json: result.json } : result.body ? { body: result.body } : {}),
  });

  const requirePerson = (reply: FastifyReply, userId: unknown): userId is string => {
    if (typeof userId === 'string' && personById.has(userId)) return true;
    void reply.code(400).send({ ok: false, error: 'unknown person' });
    return false;
  };

  const sendPayload = (payload: Json) => sender.raw(formBody(payload), 'application/x-www-form-urlencoded');

  /** file_input values arrive from the page as `{ type: 'file_input', uploads: [{ name, content }] }`. */
  const resolveUploads = (values: Values): Values => {
    const resolved: Values = {};
    for (const [blockId, actions] of Object.entries(values)) {
      resolved[blockId] = {};
      for (const [actionId, state] of Object.entries(actions)) {
        if (isObject(state) && state.type === 'file_input' && Array.isArray(state.uploads)) {
          // Stored as Slack stores them before the submission; the bot downloads them with its token.
          const files = (state.uploads as Upload[]).map((upload) =>
            slack.storeFile({ filename: upload.name, content: Buffer.from(upload.content, 'base64') }),
          );
          resolved[blockId]![actionId] = { type: 'file_input', files };
        } else {
          resolved[blockId]![actionId] = state;
        }
      }
    }
    return resolved;
  };

  // ---- routes ---------------------------------------------------------------------------------------------------

  const sendAsset = async (reply: FastifyReply, file: string, type: string) => {
    const body = await readFile(`${PUBLIC_DIR}${file}`);
    return reply.header('content-type', type).header('cache-control', 'no-store').send(body);
  };

  app.get('/', (_req, reply) => sendAsset(reply, 'index.html', 'text/html; charset=utf-8'));
  app.get<{ Params: { file: string } }>('/assets/:file', (req, reply) => {
    const type = ASSETS[req.params.file];
    return type ? sendAsset(reply, req.params.file, type) : reply.code(404).send('not found');
  });
  app.get('/favicon.ico', (_req, reply) => reply.code(204).send());

  app.get('/api/meta', () => ({
    people,
    channels,
    dms: people.map((p) => ({ id: dmOf(p.id), user: p.id })),
    bot: { id: slack.botUserId, name: 'payout-ops' },
    slashCommand: SLASH_COMMAND,
    links: {
      stripeRequests: `${stripe.url}/_emulator/requests`,
      stripeState: `${stripe.url}/_emulator/state`,
      bot: options.botUrl,
    },
  }));

  app.get<{ Querystring: { user?: string; since?: string } }>('/api/state', (req, reply) => {
    const user = req.query.user ?? '';
    if (!requirePerson(reply, user)) return;
    const state = snapshot(user);
    const etag = createHash('sha1').update(JSON.stringify(state)).digest('hex').slice(0, 16);
    return req.query.since === etag ? { etag, unchanged: true } : { etag, ...state };
  });

  app.get('/api/balance', () => stripe.control.balance());

  app.post('/api/next-day', async (_req, reply) => {
    if (!options.time) return reply.code(404).send({ ok: false, error: 'no clock to move' });
    const { fired } = await options.time.nextDay();
    await refreshFunding();
    return { ok: true, fired, funding };
  });

  app.post<{ Body: { user?: string; channel?: string; text?: string } }>('/api/send', async (req, reply) => {
    const { user, channel = '', text = '' } = req.body ?? {};
    if (!requirePerson(reply, user)) return;
    if (!conversationIds().includes(channel)) return reply.code(400).send({ ok: false, error: 'unknown channel' });
    const typed = splitSlashCommand(text);
    if (!typed) {
      return {
        ok: false,
        error: `payout-ops reads no messages: type ${SLASH_COMMAND} followed by a command, e.g. \`${SLASH_COMMAND} help\`.`,
      };
    }
    if (typed.command !== SLASH_COMMAND)
      return { ok: false, error: `${typed.command} is not a valid command. In this workspace: ${SLASH_COMMAND}.` };
    const result = await sender.slashCommand({
      text: escapeSlashText(typed.text, directory),
      userId: user,
      channelId: channel,
      channelName: channelName(channel),
      teamId: slack.teamId,
      triggerId: mintTrigger(user),
    });
    return { ok: result.status === 200, bot: botReply(result) };
  });

  interface ActionBody {
    user?: string;
    /** a message: its conversation and ts; an ephemeral one is looked up among the person's ephemerals */
    channel?: string;
    ts?: string;
    ephemeral?: boolean;
    /** or an open modal */
    viewId?: string;
    /** or the person's App Home tab */
    home?: boolean;
    values?: Values;
    blockIndex?: number;
    /** -1: the section's accessory */
    elementIndex?: number;
    selection?: Selection;
  }

  app.post<{ Body: ActionBody }>('/api/action', async (req, reply) => {
    const body = req.body ?? {};
    const { user } = body;
    if (!requirePerson(reply, user)) return;
    const ctx = context(user);
    const pick = (blocks: unknown[] | undefined) => {
      const block = blocks?.[body.blockIndex ?? -1];
      if (!isObject(block)) return undefined;
      const element =
        body.elementIndex === -1
          ? block.accessory
          : (block.elements as unknown[] | undefined)?.[body.elementIndex ?? -1];
      return isObject(element) ? { blockId: blockIdOf(block, body.blockIndex ?? 0), element } : undefined;
    };

    let payload: Json;
    if (body.home) {
      const home = slack.homeView(user);
      const view = home ? viewJson(home, slack.teamId, {}) : undefined;
      const found = pick(view?.blocks as unknown[] | undefined);
      if (!view || !found) return reply.code(404).send({ ok: false, error: 'no such element on your Home tab' });
      payload = viewBlockActions(ctx, view, actionJson(found.element, found.blockId, body.selection ?? {}));
    } else if (body.viewId) {
      const entry = ownedView(user, body.viewId);
      const shown = entry ? currentView(entry) : undefined;
      if (!shown) return reply.code(404).send({ ok: false, error: 'that modal is closed' });
      const found = pick(shown.json.blocks as unknown[] | undefined);
      if (!found) return reply.code(400).send({ ok: false, error: 'no such element' });
      const view = { ...shown.json, state: { values: resolveUploads(body.values ?? {}) } };
      payload = viewBlockActions(ctx, view, actionJson(found.element, found.blockId, body.selection ?? {}));
    } else {
      const channel = body.channel ?? '';
      const ts = body.ts ?? '';
      const stored = body.ephemeral ? undefined : slack.message(channel, ts);
      const ephemeral = body.ephemeral
        ? slack.ephemerals(user).find((e) => e.ts === ts && e.channel === channel)
        : undefined;
      const found = pick(stored?.blocks ?? ephemeral?.blocks);
      if (!found) return reply.code(404).send({ ok: false, error: 'no such message or element' });
      payload = messageBlockActions(
        ctx,
        {
          channelId: channel,
          channelName: channelName(channel),
          messageTs: ts,
          isEphemeral: Boolean(body.ephemeral),
          ...(stored ? { message: messageJson(stored, ctx) } : {}),
          responseUrl: slack.responseUrl({ userId: user, channelId: channel, messageTs: ts }),
        },
        actionJson(found.element, found.blockId, body.selection ?? {}),
      );
    }
    const result = await sendPayload(payload);
    return { ok: result.status === 200, bot: botReply(result) };
  });

  /** The person opened the app's Home tab: Slack sends app_home_opened, and the bot publishes the view. */
  app.post<{ Body: { user?: string } }>('/api/home', async (req, reply) => {
    const { user } = req.body ?? {};
    if (!requirePerson(reply, user)) return;
    const result = await sender.appHomeOpened({ userId: user, teamId: slack.teamId, appId: slack.appId });
    return { ok: result.status === 200, bot: botReply(result) };
  });

  app.post<{ Body: { user?: string; viewId?: string; values?: Values } }>('/api/submit', async (req, reply) => {
    const { user, viewId = '', values = {} } = req.body ?? {};
    if (!requirePerson(reply, user)) return;
    const entry = ownedView(user, viewId);
    const shown = entry ? currentView(entry) : undefined;
    if (!entry || !shown) return reply.code(404).send({ ok: false, error: 'that modal is closed' });
    const result = await sender.viewSubmission({
      userId: user,
      viewId,
      callbackId: String(shown.json.callback_id ?? ''),
      privateMetadata: String(shown.json.private_metadata ?? ''),
      values: resolveUploads(values),
      teamId: slack.teamId,
      triggerId: mintTrigger(user),
    });
    if (result.status !== 200) return { ok: false, bot: botReply(result) };
    const answer = isObject(result.json) ? result.json : {};
    switch (answer.response_action) {
      case 'errors':
        return { ok: true, errors: answer.errors ?? {} };
      case 'update':
        if (isObject(answer.view))
          entry.local = { view: answer.view, slackUpdatedCount: shown.slackView?.updatedCount ?? 0 };
        return { ok: true };
      case 'push':
        if (isObject(answer.view)) {
          const id = `VLOCAL${randomBytes(5).toString('hex').toUpperCase()}`;
          views.set(id, { id, owner: user, local: { view: answer.view, slackUpdatedCount: 0 } });
        }
        return { ok: true };
      case 'clear':
        for (const open of openStack(user)) closed.add(open.id);
        return { ok: true };
      default:
        closed.add(viewId);
        return { ok: true };
    }
  });

  app.post<{ Body: { user?: string; viewId?: string } }>('/api/close', async (req, reply) => {
    const { user, viewId = '' } = req.body ?? {};
    if (!requirePerson(reply, user)) return;
    const entry = ownedView(user, viewId);
    const shown = entry ? currentView(entry) : undefined;
    closed.add(viewId);
    if (shown?.json.notify_on_close === true) await sendPayload(viewClosed(context(user), shown.json));
    return { ok: true };
  });

  app.post<{
    Body: { user?: string; viewId?: string; blockId?: string; actionId?: string; value?: string; values?: Values };
  }>('/api/suggest', async (req, reply) => {
    const { user, viewId = '', blockId = '', actionId = '', value = '', values = {} } = req.body ?? {};
    if (!requirePerson(reply, user)) return;
    const entry = ownedView(user, viewId);
    const shown = entry ? currentView(entry) : undefined;
    if (!shown) return reply.code(404).send({ ok: false, error: 'that modal is closed' });
    const view = { ...shown.json, state: { values } };
    const result = await sendPayload(blockSuggestion(context(user), view, { blockId, actionId, value }));
    const answer = isObject(result.json) ? result.json : {};
    return { ok: result.status === 200, options: answer.options ?? [], option_groups: answer.option_groups ?? [] };
  });

  app.post<{ Params: { id: string }; Body: { outcome?: string } }>('/api/stripe/topups/:id', async (req, reply) => {
    const outcome = req.body?.outcome;
    if (outcome !== 'succeeded' && outcome !== 'failed')
      return reply.code(400).send({ ok: false, error: 'outcome is succeeded or failed' });
    try {
      const topup = await stripe.control.settleTopup(req.params.id, outcome satisfies TopupOutcome);
      return { ok: true, status: topup.status };
    } catch (error) {
      return reply.code(400).send({ ok: false, error: error instanceof Error ? error.message : String(error) });
    }
  });

  app.post<{ Params: { id: string }; Body: { amount?: number } }>(
    '/api/stripe/transfers/:id/reverse',
    async (req, reply) => {
      const amount = req.body?.amount;
      if (amount !== undefined && (!Number.isSafeInteger(amount) || amount <= 0))
        return reply.code(400).send({ ok: false, error: 'amount is a positive number of minor units' });
      try {
        const reversal = await stripe.control.reverseTransfer(req.params.id, amount === undefined ? {} : { amount });
        return { ok: true, amount: reversal.amount };
      } catch (error) {
        return reply.code(400).send({ ok: false, error: error instanceof Error ? error.message : String(error) });
      }
    },
  );

  /** What happens at Stripe outside the bot, to rehearse: each names the first onboarded seller. */
  const scenarios: Record<string, (accountId: string) => Promise<string>> = {
    'payout-fails': async (accountId) => {
      await stripe.control.changeBankAccount(accountId, '000111111116');
      const payout = await stripe.control.payOut(accountId);
      if (!payout) throw new Error('the seller has nothing to pay out yet: transfer them something first');
      return `The seller's bank answered ${payout.failure_code} to a payout of ${payout.amount / 100} ${payout.currency.toUpperCase()}.`;
    },
    'bank-change': async (accountId) => {
      await stripe.control.changeBankAccount(accountId, '000123456789');
      return 'The seller replaced their bank account.';
    },
    'outside-transfer': async (accountId) => {
      const made = await fetch(`${stripe.url}/v1/transfers`, {
        method: 'POST',
        headers: { authorization: 'Bearer sk_test_dashboard', 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          amount: '500',
          currency: 'eur',
          destination: accountId,
          description: 'made in the Dashboard',
        }),
      });
      const body = (await made.json()) as { id?: string; error?: { message?: string } };
      if (!body.id) throw new Error(body.error?.message ?? 'Stripe refused the transfer');
      return `A €5.00 transfer ${body.id} was made outside the bot: try /payout reconcile.`;
    },
  };
  app.post<{ Params: { name: string } }>('/api/stripe/scenarios/:name', async (req, reply) => {
    const scenario = scenarios[req.params.name];
    if (!scenario) return reply.code(404).send({ ok: false, error: 'no such scenario' });
    const seller = stripe.control.accounts().find((a) => a.details_submitted);
    if (!seller) return reply.code(400).send({ ok: false, error: 'invite a seller and finish their onboarding first' });
    try {
      return { ok: true, said: await scenario(seller.id) };
    } catch (error) {
      return reply.code(400).send({ ok: false, error: error instanceof Error ? error.message : String(error) });
    }
  });

  app.get<{ Params: { id: string } }>('/api/files/:id', (req, reply) => {
    const file = slack.files().find((f) => f.id === req.params.id);
    if (!file) return reply.code(404).send('not found');
    return reply
      .header('content-type', file.filename.endsWith('.csv') ? 'text/csv; charset=utf-8' : 'application/octet-stream')
      .header('content-disposition', `attachment; filename="${file.filename.replace(/["\\\r\n]/g, '_')}"`)
      .send(file.content);
  });

  try {
    await app.listen({ port: options.port, host: '127.0.0.1' });
  } catch (error) {
    await app.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new Error(
        `Port ${options.port} on 127.0.0.1 is already in use: stop what uses it, or pick another with SANDBOX_PORT=3100 npm run sandbox`,
      );
    }
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://127.0.0.1:${port}/`,
    app,
    close: async () => {
      await app.close();
    },
  };
}

import { createHmac } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { FakeSlack, OpenView } from './fake-slack.js';

export interface SendOptions {
  /** Unix seconds; pass an old one to send a stale request. */
  timestamp?: number;
  /** Sent verbatim as X-Slack-Signature, to forge one. */
  signature?: string;
  /** Sign with this secret instead of the app's. */
  secret?: string;
  /** Extra headers, e.g. X-Slack-Retry-Num. */
  headers?: Record<string, string>;
}

export interface SlackHttpResult {
  status: number;
  body: string;
  json?: unknown;
  elapsedMs: number;
}

export interface SlashCommandParams {
  text: string;
  userId: string;
  command?: string;
  channelId?: string;
  channelName?: string;
  teamId?: string;
  triggerId?: string;
  responseUrl?: string;
  userName?: string;
}

export interface BlockActionParams {
  userId: string;
  actionId: string;
  value?: string;
  blockId?: string;
  channelId?: string;
  messageTs?: string;
  /** The click came from an ephemeral message (one only the clicker sees). */
  ephemeral?: boolean;
  /** Set for an action inside a modal instead of a message. */
  viewId?: string;
  teamId?: string;
  appId?: string;
  triggerId?: string;
  responseUrl?: string;
  type?: 'button';
  url?: string;
}

export interface ViewSubmissionParams {
  userId: string;
  callbackId: string;
  /** view.state.values: block_id → action_id → element state, e.g. `{ amount: { amount_input: { type: 'plain_text_input', value: '12' } } }` */
  values: Record<string, Record<string, unknown>>;
  privateMetadata?: string;
  teamId?: string;
  appId?: string;
  viewId?: string;
  triggerId?: string;
}

export interface BlockSuggestionParams {
  userId: string;
  actionId: string;
  blockId: string;
  value: string;
  viewCallbackId?: string;
  teamId?: string;
  appId?: string;
}

export interface SlackSender {
  slashCommand(p: SlashCommandParams, opts?: SendOptions): Promise<SlackHttpResult>;
  blockAction(p: BlockActionParams, opts?: SendOptions): Promise<SlackHttpResult>;
  viewSubmission(p: ViewSubmissionParams, opts?: SendOptions): Promise<SlackHttpResult>;
  blockSuggestion(p: BlockSuggestionParams, opts?: SendOptions): Promise<SlackHttpResult>;
  /** The Events API's event_callback for app_home_opened: the person opened the app's Home tab. */
  appHomeOpened(p: { userId: string; teamId?: string; appId?: string }, opts?: SendOptions): Promise<SlackHttpResult>;
  /** A global shortcut chosen from the shortcuts menu. */
  shortcut(
    p: { userId: string; callbackId: string; teamId?: string; appId?: string; triggerId?: string },
    opts?: SendOptions,
  ): Promise<SlackHttpResult>;
  raw(body: string, contentType: string, opts?: SendOptions): Promise<SlackHttpResult>;
}

export interface SlackSenderOptions {
  /** The Bolt endpoint, e.g. http://127.0.0.1:3000/slack/events */
  appUrl: string;
  signingSecret: string;
  teamId?: string;
  appId?: string;
  /** Mints response_urls (so respond() is recorded) and fills message/view details from its state. */
  fakeSlack?: FakeSlack;
}

const FORM = 'application/x-www-form-urlencoded';
// Slack still sends the deprecated verification token; Bolt ignores it when signatures are checked.
const VERIFICATION_TOKEN = 'fake-verification-token';
// Without a fake to mint response_urls, point them at the discard port so respond() fails locally, never online.
const UNROUTABLE_RESPONSE_URL = 'http://127.0.0.1:9/response/no-fake-slack';

let triggerCounter = 0;

/** The parts of a view the fake recorded that Slack echoes back in payloads. */
function viewFields(view: OpenView): Record<string, unknown> {
  const { opened_via: _via, trigger_id: _trigger, updatedCount: _count, user_id: _user, ...fields } = view;
  return fields;
}

export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export function createSlackSender(options: SlackSenderOptions): SlackSender {
  const defaultTeamId = options.teamId ?? 'T0TEAM';
  const defaultAppId = options.appId ?? 'A0APP';
  const fake = options.fakeSlack;

  const triggerId = (given?: string): string => given ?? `${Date.now()}.${++triggerCounter}.abc`;
  const userName = (userId: string, given?: string): string =>
    given ?? fake?.user(userId)?.name ?? userId.toLowerCase();
  const team = (id: string) => ({ id, domain: `team-${id.toLowerCase()}` });
  const user = (userId: string, teamId: string) => {
    const name = userName(userId);
    return { id: userId, username: name, name, team_id: teamId };
  };
  const responseUrl = (given: string | undefined, context: Parameters<FakeSlack['responseUrl']>[0]): string =>
    given ?? fake?.responseUrl(context) ?? UNROUTABLE_RESPONSE_URL;

  const raw = async (body: string, contentType: string, opts: SendOptions = {}): Promise<SlackHttpResult> => {
    const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
    const signature = opts.signature ?? slackSignature(opts.secret ?? options.signingSecret, timestamp, body);
    const started = performance.now();
    const response = await fetch(options.appUrl, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': signature,
        ...opts.headers,
      },
      body,
    });
    const text = await response.text();
    const result: SlackHttpResult = { status: response.status, body: text, elapsedMs: performance.now() - started };
    if (text) {
      try {
        result.json = JSON.parse(text) as unknown;
      } catch {
        // Bolt acks with an empty or plain-text body; only JSON bodies get `json`.
      }
    }
    return result;
  };

  const sendPayload = (payload: Record<string, unknown>, opts?: SendOptions) =>
    raw(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), FORM, opts);

  const viewOutput = (id: string, teamId: string, appId: string, fields: Record<string, unknown>) => ({
    id,
    team_id: teamId,
    type: 'modal',
    blocks: [],
    private_metadata: '',
    callback_id: '',
    state: { values: {} },
    hash: `${Math.floor(Date.now() / 1000)}.fakehash`,
    title: { type: 'plain_text', text: 'Modal', emoji: true },
    clear_on_close: false,
    notify_on_close: false,
    close: null,
    submit: null,
    previous_view_id: null,
    root_view_id: id,
    app_id: appId,
    external_id: '',
    app_installed_team_id: teamId,
    bot_id: 'B0BOT',
    ...fields,
  });

  return {
    raw,

    slashCommand: (p, opts) => {
      const teamId = p.teamId ?? defaultTeamId;
      const channelId = p.channelId ?? 'C0GENERAL';
      const body = new URLSearchParams({
        token: VERIFICATION_TOKEN,
        team_id: teamId,
        team_domain: team(teamId).domain,
        channel_id: channelId,
        channel_name: p.channelName ?? (channelId.startsWith('D') ? 'directmessage' : 'general'),
        user_id: p.userId,
        user_name: userName(p.userId, p.userName),
        command: p.command ?? '/payout',
        text: p.text,
        api_app_id: defaultAppId,
        is_enterprise_install: 'false',
        response_url: responseUrl(p.responseUrl, { userId: p.userId, channelId }),
        trigger_id: triggerId(p.triggerId),
      });
      return raw(body.toString(), FORM, opts);
    },

    appHomeOpened: (p, opts) => {
      const teamId = p.teamId ?? defaultTeamId;
      const home = fake?.homeView(p.userId);
      const body = {
        token: VERIFICATION_TOKEN,
        team_id: teamId,
        api_app_id: p.appId ?? defaultAppId,
        event: {
          type: 'app_home_opened',
          user: p.userId,
          channel: `D${p.userId}`,
          tab: 'home',
          event_ts: `${(Date.now() / 1000).toFixed(6)}`,
          ...(home ? { view: viewFields(home) } : {}),
        },
        type: 'event_callback',
        event_id: `Ev0${++triggerCounter}`,
        event_time: Math.floor(Date.now() / 1000),
        authorizations: [{ team_id: teamId, user_id: fake?.botUserId ?? 'UBOT', is_bot: true }],
      };
      return raw(JSON.stringify(body), 'application/json', opts);
    },

    shortcut: (p, opts) => {
      const teamId = p.teamId ?? defaultTeamId;
      return sendPayload(
        {
          type: 'shortcut',
          token: VERIFICATION_TOKEN,
          action_ts: `${(Date.now() / 1000).toFixed(6)}`,
          team: team(teamId),
          user: user(p.userId, teamId),
          api_app_id: p.appId ?? defaultAppId,
          is_enterprise_install: false,
          enterprise: null,
          callback_id: p.callbackId,
          trigger_id: triggerId(p.triggerId),
        },
        opts,
      );
    },

    blockAction: (p, opts) => {
      const teamId = p.teamId ?? defaultTeamId;
      const appId = p.appId ?? defaultAppId;
      const actionTs = `${(Date.now() / 1000).toFixed(6)}`;
      const action: Record<string, unknown> = {
        type: p.type ?? 'button',
        action_id: p.actionId,
        block_id: p.blockId ?? `block-${p.actionId}`,
        text: { type: 'plain_text', text: p.actionId, emoji: true },
        action_ts: actionTs,
      };
      if (p.value !== undefined) action.value = p.value;
      if (p.url !== undefined) action.url = p.url;
      const payload: Record<string, unknown> = {
        type: 'block_actions',
        user: user(p.userId, teamId),
        api_app_id: appId,
        token: VERIFICATION_TOKEN,
        trigger_id: triggerId(p.triggerId),
        team: team(teamId),
        enterprise: null,
        is_enterprise_install: false,
        state: { values: {} },
        actions: [action],
      };
      if (p.viewId !== undefined) {
        const stored = fake?.view(p.viewId);
        payload.container = { type: 'view', view_id: p.viewId };
        payload.view = viewOutput(p.viewId, teamId, appId, stored ? viewFields(stored) : {});
      } else {
        const channelId = p.channelId ?? 'C0GENERAL';
        const messageTs = p.messageTs ?? actionTs;
        const stored = fake?.message(channelId, messageTs);
        payload.container = {
          type: 'message',
          message_ts: messageTs,
          channel_id: channelId,
          is_ephemeral: p.ephemeral ?? false,
        };
        payload.channel = { id: channelId, name: channelId.startsWith('D') ? 'directmessage' : 'general' };
        payload.message = {
          type: 'message',
          user: stored?.user ?? fake?.botUserId ?? 'UBOT',
          ts: messageTs,
          text: stored?.text ?? '',
          ...(stored?.blocks ? { blocks: stored.blocks } : {}),
        };
        payload.response_url = responseUrl(p.responseUrl, { userId: p.userId, channelId, messageTs });
      }
      return sendPayload(payload, opts);
    },

    viewSubmission: (p, opts) => {
      const teamId = p.teamId ?? defaultTeamId;
      const appId = p.appId ?? defaultAppId;
      // Prefer the modal the app really opened on the fake, so private_metadata and blocks round-trip.
      const stored = p.viewId ? fake?.view(p.viewId) : fake?.views().findLast((v) => v.callback_id === p.callbackId);
      const viewId = p.viewId ?? stored?.id ?? `V0SUBMIT${++triggerCounter}`;
      const view = viewOutput(viewId, teamId, appId, {
        ...(stored ? viewFields(stored) : {}),
        callback_id: p.callbackId,
        private_metadata: p.privateMetadata ?? stored?.private_metadata ?? '',
        state: { values: p.values },
      });
      return sendPayload(
        {
          type: 'view_submission',
          team: team(teamId),
          user: user(p.userId, teamId),
          api_app_id: appId,
          token: VERIFICATION_TOKEN,
          trigger_id: triggerId(p.triggerId),
          view,
          response_urls: [],
          is_enterprise_install: false,
          enterprise: null,
        },
        opts,
      );
    },

    blockSuggestion: (p, opts) => {
      const teamId = p.teamId ?? defaultTeamId;
      const appId = p.appId ?? defaultAppId;
      const payload: Record<string, unknown> = {
        type: 'block_suggestion',
        user: user(p.userId, teamId),
        api_app_id: appId,
        token: VERIFICATION_TOKEN,
        action_id: p.actionId,
        block_id: p.blockId,
        value: p.value,
        team: team(teamId),
        enterprise: null,
        is_enterprise_install: false,
      };
      if (p.viewCallbackId !== undefined) {
        const stored = fake?.views().findLast((v) => v.callback_id === p.viewCallbackId);
        const viewId = stored?.id ?? `V0SUGGEST${++triggerCounter}`;
        payload.container = { type: 'view', view_id: viewId };
        payload.view = viewOutput(viewId, teamId, appId, {
          ...(stored ? viewFields(stored) : {}),
          callback_id: p.viewCallbackId,
        });
      } else {
        payload.container = { type: 'message' };
      }
      return sendPayload(payload, opts);
    },
  };
}

import type { OpenView, StoredMessage } from '../emulators/slack/fake-slack.js';

/**
 * The interactivity payloads Slack sends when someone clicks or types in Block Kit, built from what the bot
 * really posted (the fake Slack's stored message or view), so the bot reads back its own blocks, values and
 * private_metadata. Signed and sent with the project's `createSlackSender().raw`.
 */
export interface PayloadContext {
  teamId: string;
  appId: string;
  botUserId: string;
  user: { id: string; name: string };
  triggerId: string;
}

export type Json = Record<string, unknown>;

/** What the person chose, as the browser reports it. */
export interface Selection {
  value?: string;
  selected_option?: { text: unknown; value: string } | null;
  selected_options?: { text: unknown; value: string }[];
  selected_user?: string | null;
  selected_users?: string[];
  selected_conversation?: string | null;
  selected_channel?: string | null;
  selected_date?: string | null;
  selected_time?: string | null;
}

const VERIFICATION_TOKEN = 'sandbox-verification-token';

const team = (id: string) => ({ id, domain: `team-${id.toLowerCase()}` });
const userJson = (ctx: PayloadContext) => ({
  id: ctx.user.id,
  username: ctx.user.name,
  name: ctx.user.name,
  team_id: ctx.teamId,
});
const actionTs = () => (Date.now() / 1000).toFixed(6);

/** Slack gives blocks without a block_id one of its own; ours is stable per position so state round-trips. */
export const blockIdOf = (block: Json, index: number): string =>
  typeof block.block_id === 'string' ? block.block_id : `auto_${index}`;

/** A view as Slack serialises it in payloads, with the person's current input `values`. */
export function viewJson(view: OpenView, teamId: string, values: Record<string, Record<string, unknown>>): Json {
  const { opened_via: _via, trigger_id: _trigger, updatedCount: _count, ...fields } = view;
  return { ...fields, app_installed_team_id: teamId, state: { values } };
}

export function messageJson(message: StoredMessage, ctx: PayloadContext): Json {
  return {
    type: 'message',
    subtype: 'bot_message',
    user: message.user,
    bot_id: 'B0BOT',
    app_id: ctx.appId,
    team: ctx.teamId,
    ts: message.ts,
    text: message.text ?? '',
    ...(message.blocks ? { blocks: message.blocks } : {}),
    ...(message.attachments ? { attachments: message.attachments } : {}),
    ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}),
  };
}

/** The `actions[0]` entry for an interactive element and what was chosen in it. */
export function actionJson(element: Json, blockId: string, selection: Selection): Json {
  const action: Json = {
    type: element.type,
    action_id: element.action_id ?? '',
    block_id: blockId,
    action_ts: actionTs(),
  };
  switch (element.type) {
    case 'button':
      action.text = { emoji: true, ...(element.text as Json | undefined) };
      if (element.value !== undefined) action.value = element.value;
      if (element.style !== undefined) action.style = element.style;
      if (element.url !== undefined) action.url = element.url;
      break;
    case 'overflow':
    case 'static_select':
    case 'external_select':
    case 'radio_buttons':
      action.selected_option = selection.selected_option ?? null;
      break;
    case 'checkboxes':
    case 'multi_static_select':
    case 'multi_external_select':
      action.selected_options = selection.selected_options ?? [];
      break;
    case 'users_select':
      action.selected_user = selection.selected_user ?? null;
      break;
    case 'multi_users_select':
      action.selected_users = selection.selected_users ?? [];
      break;
    case 'conversations_select':
      action.selected_conversation = selection.selected_conversation ?? null;
      break;
    case 'channels_select':
      action.selected_channel = selection.selected_channel ?? null;
      break;
    case 'datepicker':
      action.selected_date = selection.selected_date ?? null;
      break;
    case 'timepicker':
      action.selected_time = selection.selected_time ?? null;
      break;
    default:
      if (selection.value !== undefined) action.value = selection.value;
  }
  if (element.placeholder !== undefined && element.type !== 'button') action.placeholder = element.placeholder;
  return action;
}

/** block_actions from a message in a channel or DM (ephemeral or not). */
export function messageBlockActions(
  ctx: PayloadContext,
  where: {
    channelId: string;
    channelName: string;
    messageTs: string;
    isEphemeral: boolean;
    message?: Json;
    responseUrl: string;
  },
  action: Json,
): Json {
  return {
    type: 'block_actions',
    user: userJson(ctx),
    api_app_id: ctx.appId,
    token: VERIFICATION_TOKEN,
    container: {
      type: 'message',
      message_ts: where.messageTs,
      channel_id: where.channelId,
      is_ephemeral: where.isEphemeral,
    },
    trigger_id: ctx.triggerId,
    team: team(ctx.teamId),
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: where.channelId, name: where.channelName },
    ...(where.message ? { message: where.message } : {}),
    state: { values: {} },
    response_url: where.responseUrl,
    actions: [action],
  };
}

/** block_actions from an element inside an open modal. */
export function viewBlockActions(ctx: PayloadContext, view: Json, action: Json): Json {
  return {
    type: 'block_actions',
    user: userJson(ctx),
    api_app_id: ctx.appId,
    token: VERIFICATION_TOKEN,
    container: { type: 'view', view_id: view.id },
    trigger_id: ctx.triggerId,
    team: team(ctx.teamId),
    enterprise: null,
    is_enterprise_install: false,
    view,
    actions: [action],
  };
}

/** block_suggestion: an external_select asking the app for options as the person types. */
export function blockSuggestion(
  ctx: PayloadContext,
  view: Json,
  field: { blockId: string; actionId: string; value: string },
): Json {
  return {
    type: 'block_suggestion',
    user: userJson(ctx),
    container: { type: 'view', view_id: view.id },
    api_app_id: ctx.appId,
    token: VERIFICATION_TOKEN,
    action_id: field.actionId,
    block_id: field.blockId,
    value: field.value,
    team: team(ctx.teamId),
    enterprise: null,
    is_enterprise_install: false,
    view,
  };
}

/** view_closed, sent only for views that asked for it with notify_on_close. */
export function viewClosed(ctx: PayloadContext, view: Json): Json {
  return {
    type: 'view_closed',
    team: team(ctx.teamId),
    user: userJson(ctx),
    api_app_id: ctx.appId,
    token: VERIFICATION_TOKEN,
    view,
    is_cleared: false,
    is_enterprise_install: false,
    enterprise: null,
  };
}

export const formBody = (payload: Json): string => new URLSearchParams({ payload: JSON.stringify(payload) }).toString();

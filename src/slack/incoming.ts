import { z } from 'zod';

const id = z.string().min(1);
const user = z.object({ id });

/**
 * The envelope of each kind of request Slack sends this app (slash command, the interactivity payloads it listens
 * for, and Slack's own checks): what Bolt's routing and every listener read without looking. A new kind of
 * listener (a shortcut, an event) needs its entry here, or its requests are refused.
 */
const KINDS = {
  command: z.object({
    command: id,
    text: z.string(),
    user_id: id,
    team_id: id,
    channel_id: id,
    trigger_id: id,
    response_url: z.string(),
  }),
  block_actions: z.object({ user, actions: z.array(z.object({ action_id: id, block_id: z.string() })).min(1) }),
  view_submission: z.object({
    user,
    view: z.object({
      id,
      callback_id: z.string(),
      private_metadata: z.string(),
      state: z.object({ values: z.record(z.string(), z.record(z.string(), z.unknown())) }),
    }),
  }),
  block_suggestion: z.object({ user, action_id: id, block_id: z.string(), value: z.string() }),
  shortcut: z.object({ user, callback_id: id, trigger_id: id }),
  // The Events API: only the events the app subscribes to (manifest.yml), each with what its listener reads.
  event_callback: z.object({
    team_id: id,
    event: z.discriminatedUnion('type', [z.object({ type: z.literal('app_home_opened'), user: id, tab: z.string() })]),
  }),
  ssl_check: z.object({ ssl_check: z.literal('1') }),
  url_verification: z.object({ challenge: z.string() }),
} as const;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

function kindOf(body: Record<string, unknown>): string | undefined {
  if ('command' in body) return 'command';
  if ('ssl_check' in body) return 'ssl_check';
  return typeof body.type === 'string' ? body.type : undefined;
}

/** Why a parsed Slack body is not one this app handles, or undefined when it is. */
export function refuseSlackBody(body: unknown): string | undefined {
  if (!isRecord(body)) return 'the body is not a JSON object';
  const kind = kindOf(body);
  const schema = kind !== undefined && Object.hasOwn(KINDS, kind) ? KINDS[kind as keyof typeof KINDS] : undefined;
  if (!schema) return `no request of type ${JSON.stringify(kind ?? null)} is handled here`;
  const result = schema.safeParse(body);
  return result.success
    ? undefined
    : `${kind}: ${result.error.issues.map((i) => `${i.path.join('.') || '(body)'} ${i.message}`).join('; ')}`;
}

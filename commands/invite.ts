import { newTraceId } from '../src/logger.js';
import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { AppDeps } from '../src/deps.js';
import { isAppError } from '../src/domain/errors.js';
import { inertText } from '../src/domain/text.js';
import { INVITE_FIELDS, VIEW_IDS } from '../src/slack/ids.js';
import { inviteModal } from '../src/slack/blocks/invite-modal.js';
import { mention } from '../src/slack/mrkdwn.js';
import { parseUserMention } from '../src/domain/ids.js';
import { isEmail, parseCountry, parseEmail } from './args.js';
import { allowed } from './guards.js';
import { ephemeralReply, modalChannel } from './reply.js';
import { onSubmission } from './submissions.js';
import type { Subcommand, SubcommandContext } from './types.js';

const USAGE = '/payout invite @user [email] [country]';

interface InviteArgs {
  sellerId: string;
  email: string | null;
  country: string | null;
}

/** Parses `@user [email] [country]` in any order after the mention; returns a message for the person when it cannot. */
export function parseInviteArgs(args: string[]): InviteArgs | string {
  const [who, ...rest] = args;
  const sellerId = parseUserMention(who);
  if (!sellerId) return `Mention the seller as \`@name\`: \`${USAGE}\`.`;
  let email: string | null = null;
  let country: string | null = null;
  for (const token of rest) {
    const asEmail = parseEmail(token);
    if (isEmail(asEmail) && !email) email = asEmail;
    else if (parseCountry(token) && !country) country = parseCountry(token) ?? null;
    else return `I couldn't read "${token}": give an email address and a two-letter country code such as FR. Usage: \`${USAGE}\`.`;
  }
  return { sellerId, email, country };
}

/**
 * The seller's Slack name for the transfer modal's picker; an invite goes ahead without it. People type their own
 * profile names, and this text comes from the Web API, not a payload: cleaned here like all typed text.
 */
async function displayNameOf(client: WebClient, userId: string): Promise<string | null> {
  try {
    const { user } = await client.users.info({ user: userId });
    const name = user?.profile?.display_name || user?.real_name || user?.name;
    return name ? inertText(name) : null;
  } catch {
    return null;
  }
}

async function runInvite(deps: AppDeps, ctx: Pick<SubcommandContext, 'userId' | 'teamId' | 'reply' | 'log' | 'client'>, input: InviteArgs) {
  try {
    const displayName = await displayNameOf(ctx.client, input.sellerId);
    const { seller, reinvite } = await deps.sellers.invite({ teamId: ctx.teamId, userId: input.sellerId, displayName, email: input.email, country: input.country, invitedBy: ctx.userId });
    ctx.log.info({ event: 'seller.invited', sellerId: seller.userId, accountId: seller.accountId, reinvite }, 'seller invited');
    await ctx.reply(
      reinvite
        ? `:envelope: ${mention(seller.userId)} already has a Stripe account (\`${seller.accountId}\`); I sent them a fresh onboarding link.`
        : `:envelope: Invited ${mention(seller.userId)}: Stripe account \`${seller.accountId}\` created and an onboarding link sent by DM.`,
    );
  } catch (error) {
    ctx.log.error({ err: error, event: 'seller.invite_failed', sellerId: input.sellerId }, 'invite failed');
    await ctx.reply(`:x: I could not invite ${mention(input.sellerId)}. ${isAppError(error) ? error.userMessage : 'Something went wrong on our side; please try again.'}`);
  }
}

export function inviteCommand(deps: AppDeps): Subcommand {
  return {
    name: 'invite',
    usage: USAGE,
    summary: 'create a Stripe Express account for a seller and DM them an onboarding link',
    async run(ctx) {
      if (!(await allowed(deps, ctx, 'requester'))) return;
      if (ctx.args.length === 0) {
        await ctx.client.views.open({ trigger_id: ctx.triggerId, view: inviteModal({ channelId: ctx.channelId }) });
        return;
      }
      const parsed = parseInviteArgs(ctx.args);
      if (typeof parsed === 'string') return ctx.reply(parsed);
      await runInvite(deps, ctx, parsed);
    },
  };
}

interface ViewValue {
  value?: string | null;
  selected_user?: string | null;
}

/** The invite modal: fields are checked before the ack so mistakes show in place. */
export function registerInviteModal(app: App, deps: AppDeps): void {
  onSubmission(app, deps, VIEW_IDS.invite, async ({ ack, body, view, client }) => {
    const values = view.state.values as Record<string, Record<string, ViewValue>>;
    const field = (f: { block: string; action: string }) => values[f.block]?.[f.action];
    const sellerId = field(INVITE_FIELDS.user)?.selected_user ?? '';
    const email = field(INVITE_FIELDS.email)?.value?.trim() ?? '';
    const country = field(INVITE_FIELDS.country)?.value?.trim() ?? '';
    const errors: Record<string, string> = {};
    if (!sellerId) errors[INVITE_FIELDS.user.block] = 'Choose the seller to invite.';
    if (email && !isEmail(email)) errors[INVITE_FIELDS.email.block] = 'That does not look like an email address.';
    if (country && !parseCountry(country)) errors[INVITE_FIELDS.country.block] = 'Use a two-letter ISO country code such as US, FR or DE.';
    if (Object.keys(errors).length > 0) return ack({ response_action: 'errors', errors });
    await ack();

    const userId = body.user.id;
    const teamId = body.team?.id ?? body.user.team_id ?? '';
    const log = deps.logger.child({ traceId: newTraceId(), userId, command: 'invite' });
    const reply = ephemeralReply(client, modalChannel(view.private_metadata), userId);
    if (!(await allowed(deps, { userId, reply }, 'requester'))) return;
    await runInvite(deps, { userId, teamId, reply, log, client }, { sellerId, email: email || null, country: country ? (parseCountry(country) ?? null) : null });
  });
}

import type { WebClient } from '@slack/web-api';
import type { CommandDeps } from '../src/deps.js';
import { isAppError } from '../src/domain/errors.js';
import { inertText } from '../src/domain/text.js';
import type { Logger } from '../src/logger.js';
import { allowed } from '../src/slack/allowed.js';
import { wordsFor } from '../src/slack/app-errors.js';
import { inviteModal } from '../src/slack/blocks/invite-modal.js';
import { mention, parseUserMention } from '../src/slack/mrkdwn.js';
import type { Reply } from '../src/slack/replies.js';
import { isEmail, parseCountry, parseEmail } from './args.js';
import { type Subcommand, withoutArguments } from './types.js';

const USAGE = '/payout invite @user [email] [country]';

export interface InviteArgs {
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
    else
      return `I couldn't read "${token}": give an email address and a two-letter country code such as FR. Usage: \`${USAGE}\`.`;
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

/** Invites the seller and tells the person how it went; the command and the invite modal both end here. */
export async function runInvite(
  deps: Pick<CommandDeps, 'sellers'>,
  ctx: { userId: string; teamId: string; reply: Reply; log: Logger; client: WebClient },
  input: InviteArgs,
) {
  try {
    const displayName = await displayNameOf(ctx.client, input.sellerId);
    const { seller, reinvite } = await deps.sellers.invite({
      teamId: ctx.teamId,
      userId: input.sellerId,
      displayName,
      email: input.email,
      country: input.country,
      invitedBy: ctx.userId,
    });
    ctx.log.info(
      { event: 'seller.invited', sellerId: seller.userId, accountId: seller.accountId, reinvite },
      'seller invited',
    );
    await ctx.reply(
      reinvite
        ? `:envelope: ${mention(seller.userId)} already has a Stripe account (\`${seller.accountId}\`); I sent them a fresh onboarding link.`
        : `:envelope: Invited ${mention(seller.userId)}: Stripe account \`${seller.accountId}\` created and an onboarding link sent by DM.`,
    );
  } catch (error) {
    ctx.log.error({ err: error, event: 'seller.invite_failed', sellerId: input.sellerId }, 'invite failed');
    await ctx.reply(
      `:x: I could not invite ${mention(input.sellerId)}. ${isAppError(error) ? wordsFor(error) : 'Something went wrong on our side; please try again.'}`,
    );
  }
}

export function inviteCommand(deps: CommandDeps): Subcommand {
  return {
    name: 'invite',
    usage: USAGE,
    summary: 'create a Stripe Express account for a seller and DM them an onboarding link',
    opensModal: withoutArguments,
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

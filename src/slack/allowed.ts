import type { CommandDeps } from '../deps.js';
import type { Role } from '../domain/access.js';
import type { Reply } from './replies.js';

const REFUSALS: Record<Role | 'staff', string> = {
  requester: "Sorry, you're not on the list of people who may request payouts. Ask your finance lead to add you.",
  approver: "Sorry, you're not on the list of approvers. Ask your finance lead if you should be.",
  staff: 'Sorry, only payout requesters and approvers can see this.',
};

/** Replies with a polite refusal and returns false when the person may not do this. */
export async function allowed(
  deps: Pick<CommandDeps, 'access'>,
  ctx: { userId: string; reply: Reply },
  role: Role | 'staff',
): Promise<boolean> {
  const ok = role === 'staff' ? await deps.access.isStaff(ctx.userId) : await deps.access.has(ctx.userId, role);
  if (!ok) await ctx.reply(`:lock: ${REFUSALS[role]}`);
  return ok;
}

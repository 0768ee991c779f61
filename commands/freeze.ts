import type { CommandDeps } from '../src/deps.js';
import { scopeKey } from '../src/domain/controls.js';
import { readDescription } from '../src/domain/text.js';
import { allowed } from '../src/slack/allowed.js';
import { wordsFor } from '../src/slack/app-errors.js';
import { freezeLine, scopeLabel } from '../src/slack/blocks/controls.js';
import { parseScope, SCOPES } from './freeze-scope.js';
import type { Subcommand } from './types.js';

/** The kill switch: any approver stops payouts at once; lifting it is a request two approvers approve (`unfreeze`). */
export function freezeCommand(deps: CommandDeps): Subcommand {
  const usage = `/payout freeze ${SCOPES} <reason>`;
  return {
    name: 'freeze',
    usage,
    summary: 'stop payouts at once (all, one seller, or one currency); approvers only',
    async run(ctx) {
      if (ctx.args.length === 0) {
        if (!(await allowed(deps, ctx, 'staff'))) return;
        const freezes = await deps.freezes.list();
        return ctx.reply(
          freezes.length
            ? freezes.map(freezeLine).join('\n')
            : `:large_green_circle: Nothing is frozen. To stop payouts: \`${usage}\`.`,
        );
      }
      const [token, ...words] = ctx.args;
      let reason: string | null;
      try {
        reason = readDescription(words.join(' '), 'reason');
      } catch (error) {
        return ctx.reply(`:x: ${wordsFor(error)}`);
      }
      if (!reason) return ctx.reply(`Say why, so everyone knows what to check before unfreezing: \`${usage}\`.`);
      if (!(await allowed(deps, ctx, 'approver'))) return;
      const scope = await parseScope(deps, ctx.teamId, token);
      if (typeof scope === 'string') return ctx.reply(scope);
      const frozen = await deps.freezes.freeze({ scope, by: ctx.userId, reason, at: deps.clock.now().toISOString() });
      ctx.log.info({ event: frozen ? 'freeze.on' : 'freeze.already', scope: scopeKey(scope) }, 'freeze');
      await ctx.reply(
        frozen
          ? `:octagonal_sign: Frozen: ${scopeLabel(scope)}. Nothing in it reaches Stripe now; ops and approvers have been told.`
          : `${scopeLabel(scope)} were frozen already; that freeze stays as it is.`,
      );
    },
  };
}

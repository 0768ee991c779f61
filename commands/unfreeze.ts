import type { CommandDeps } from '../src/deps.js';
import { scopeKey } from '../src/domain/controls.js';
import { readDescription } from '../src/domain/text.js';
import { allowed } from '../src/slack/allowed.js';
import { replyOnAppError } from '../src/slack/app-errors.js';
import { scopeArgument, scopeLabel } from '../src/slack/blocks/controls.js';
import { requestSummary } from '../src/slack/blocks/requests.js';
import { parseScope, SCOPES } from './freeze-scope.js';
import type { Subcommand } from './types.js';

/** Lifting a freeze turns money back on, so it is a request two approvers approve. */
export function unfreezeCommand(deps: CommandDeps): Subcommand {
  return {
    name: 'unfreeze',
    usage: `/payout unfreeze ${SCOPES}`,
    summary: 'ask to lift a freeze; two approvers approve',
    async run(ctx) {
      const [token, ...words] = ctx.args;
      if (!(await allowed(deps, ctx, 'staff'))) return;
      const scope = await parseScope(deps, ctx.teamId, token);
      if (typeof scope === 'string') return ctx.reply(scope);
      const frozen = (await deps.freezes.list()).some((f) => scopeKey(f.scope) === scopeKey(scope));
      if (!frozen) return ctx.reply(`${scopeLabel(scope)} are not frozen. \`/payout freeze\` lists what is.`);
      await replyOnAppError(ctx.reply, async () => {
        const request = await deps.requests.create({
          kind: 'unfreeze',
          teamId: ctx.teamId,
          requestedBy: ctx.userId,
          description: readDescription(words.join(' ')),
          unfreeze: scope,
        });
        await ctx.reply(
          `:inbox_tray: Asked two approvers to ${requestSummary(request)} (\`${request.id}\`). Until then \`${scopeArgument(scope)}\` stays frozen.`,
        );
      });
    },
  };
}

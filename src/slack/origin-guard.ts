import type {
  AnyMiddlewareArgs,
  BlockAction,
  BlockSuggestion,
  Middleware,
  SlackActionMiddlewareArgs,
  SlackOptionsMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { CommandDeps } from '../deps.js';
import { noticeModal } from './blocks/common.js';
import { ACTION_IDS } from './ids.js';
import { ephemeralReply } from './replies.js';

type ActionId = (typeof ACTION_IDS)[keyof typeof ACTION_IDS];

/** Where a click counts. `anywhere` only for controls that change nothing. */
type Origin = 'anywhere' | 'approvals' | 'runs' | 'ops' | 'own-reply' | 'waiting-list' | 'home' | 'held-list';

/**
 * Every action id the bot renders, with where its clicks count: a new button does not compile without its entry,
 * and a click on an id not listed here changes nothing.
 */
const ORIGINS: Record<ActionId, Origin> = {
  // A link button: the browser opens our URL; the click itself only needs an ack.
  [ACTION_IDS.onboardingStart]: 'anywhere',
  // A select inside a modal's input block: what is chosen arrives with the submission.
  [ACTION_IDS.sellerPicker]: 'anywhere',
  [ACTION_IDS.approve]: 'approvals',
  [ACTION_IDS.reject]: 'approvals',
  // Held-run notices and run summaries go to the ops channel; a requested run's progress is its approval message.
  [ACTION_IDS.runStart]: 'runs',
  [ACTION_IDS.runRetry]: 'runs',
  // It only reads, but what it sends (sellers, accounts, amounts) is for our workspace alone.
  [ACTION_IDS.runFailedCsv]: 'runs',
  // Shortfall notices go to the ops channel; the button opens the top-up request, approved as usual.
  [ACTION_IDS.fundingRequestTopup]: 'ops',
  // Daily-limit notices go to the ops channel, and approvers' Home tabs list what is held; the button asks two approvers for an override.
  [ACTION_IDS.limitOverride]: 'held-list',
  // The approver's own Home tab; the click opens the freeze modal (the submission re-checks who may freeze).
  [ACTION_IDS.homeFreeze]: 'home',
  // The schedules list is only ever an ephemeral reply, wherever `/payout schedules` was typed.
  [ACTION_IDS.schedulePause]: 'own-reply',
  [ACTION_IDS.scheduleResume]: 'own-reply',
  [ACTION_IDS.scheduleDelete]: 'own-reply',
  // "Waiting for you": the clicker's own Home tab, or the reply `/payout pending` gave them.
  [ACTION_IDS.waitingApprove]: 'waiting-list',
  [ACTION_IDS.waitingReject]: 'waiting-list',
};

const isActionId = (id: string): id is ActionId => Object.hasOwn(ORIGINS, id);

const PLACES: Record<
  Exclude<Origin, 'anywhere'>,
  { counts(body: BlockAction, config: CommandDeps['config']): boolean; refusal: string }
> = {
  approvals: {
    counts: (body, config) => body.channel?.id === config.SLACK_APPROVALS_CHANNEL,
    refusal: 'Approvals count only in the approvals channel',
  },
  runs: {
    counts: (body, config) =>
      [config.SLACK_OPS_CHANNEL, config.SLACK_APPROVALS_CHANNEL].includes(body.channel?.id ?? ''),
    refusal: 'Run buttons count only in the ops and approvals channels',
  },
  ops: {
    counts: (body, config) => body.channel?.id === config.SLACK_OPS_CHANNEL,
    refusal: 'Funding buttons count only in the ops channel',
  },
  home: { counts: (body) => body.view?.type === 'home', refusal: 'This button counts only on your Home tab' },
  'own-reply': {
    counts: (body) => body.container?.is_ephemeral === true,
    refusal: 'Schedule buttons count only on the list `/payout schedules` shows you',
  },
  'held-list': {
    counts: (body, config) => body.channel?.id === config.SLACK_OPS_CHANNEL || body.view?.type === 'home',
    refusal: 'The override button counts only in the ops channel or on your Home tab',
  },
  'waiting-list': {
    counts: (body) => body.view?.type === 'home' || body.container?.is_ephemeral === true,
    refusal: 'These buttons count only on your Home tab or the list `/payout pending` shows you',
  },
};

/**
 * One guard, in front of every listener: a click that changes something, a modal submission or a picker's query
 * counts only from our own workspace (and app, when SLACK_APP_ID is set), and a click only where its button is
 * shown. Anything else is acknowledged, answered politely and goes no further.
 */
export function originGuard(deps: Pick<CommandDeps, 'config' | 'logger'>): Middleware<AnyMiddlewareArgs> {
  // Our workspace: SLACK_TEAM_ID, else what auth.test says with our own token (asked again after a failure).
  let ownTeam: Promise<string | undefined> | undefined;
  const expectedTeam = (client: WebClient) =>
    (ownTeam ??= deps.config.SLACK_TEAM_ID
      ? Promise.resolve(deps.config.SLACK_TEAM_ID)
      : client.auth.test().then(
          (r) => r.team_id,
          () => (ownTeam = undefined),
        ));

  async function foreign(
    client: WebClient,
    teamId: string | undefined,
    appId: string | undefined,
  ): Promise<string | undefined> {
    const team = await expectedTeam(client);
    // Fail closed: what we cannot place in our workspace counts for nothing.
    if (!team) return 'I could not confirm this workspace just now, so it changed nothing. Please try again';
    if (teamId !== team) return 'This came from another workspace, so it changed nothing';
    if (deps.config.SLACK_APP_ID && appId !== deps.config.SLACK_APP_ID)
      return 'This came from another app, so it changed nothing';
    return undefined;
  }

  async function misplaced(client: WebClient, body: BlockAction): Promise<string | undefined> {
    const ids = (body.actions ?? []).map((a) => a.action_id);
    if (!ids.every(isActionId)) return "I don't know that button, so the click changed nothing";
    const places = ids.map((id) => ORIGINS[id]).filter((o) => o !== 'anywhere');
    if (places.length === 0) return undefined;
    const refusal = await foreign(client, body.team?.id, body.api_app_id);
    if (refusal) return refusal;
    const wrong = places.find((place) => !PLACES[place].counts(body, deps.config));
    return wrong && `${PLACES[wrong].refusal}, so this click changed nothing`;
  }

  return async (args) => {
    const { body, next } = args;
    if (body.type === 'block_actions') {
      const { ack, respond } = args as unknown as SlackActionMiddlewareArgs<BlockAction>;
      const click = body as BlockAction;
      const refusal = await misplaced(args.client, click);
      if (!refusal) return next();
      await ack();
      deps.logger.warn(
        {
          event: 'click.refused',
          reason: refusal,
          actionIds: click.actions?.map((a) => a.action_id),
          teamId: click.team?.id,
          appId: click.api_app_id,
          channelId: click.channel?.id,
          userId: click.user?.id,
        },
        'ignored a click',
      );
      // The response_url reaches the clicker wherever they are; a chat.postEphemeral would need our channel.
      const text = `:lock: ${refusal}.`;
      const answer = click.response_url
        ? respond({ response_type: 'ephemeral', replace_original: false, text })
        : ephemeralReply(args.client, click.channel?.id, click.user.id)(text);
      await answer.catch((error: unknown) =>
        deps.logger.warn({ err: error, event: 'click.refusal_not_sent' }, 'could not answer a refused click'),
      );
      return;
    }
    if (body.type === 'view_submission') {
      const { ack } = args as unknown as SlackViewMiddlewareArgs<ViewSubmitAction>;
      const submission = body as ViewSubmitAction;
      const refusal = await foreign(args.client, submission.team?.id ?? submission.user.team_id, submission.api_app_id);
      if (!refusal) return next();
      deps.logger.warn(
        {
          event: 'view.refused',
          reason: refusal,
          callbackId: submission.view.callback_id,
          teamId: submission.team?.id,
          appId: submission.api_app_id,
          userId: submission.user.id,
        },
        'ignored a submission',
      );
      await ack({ response_action: 'update', view: noticeModal('Not sent', `:lock: ${refusal}.`) });
      return;
    }
    if (body.type === 'block_suggestion') {
      // The seller picker's choices are names and account ids: none for another workspace.
      const { ack } = args as unknown as SlackOptionsMiddlewareArgs<'block_suggestion'>;
      const query = body as BlockSuggestion;
      if (await foreign(args.client, query.team?.id ?? query.user.team_id, query.api_app_id))
        return ack({ options: [] });
    }
    await next();
  };
}

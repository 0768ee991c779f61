import type { CustomRoute } from '@slack/bolt';
import type { AppDeps } from '../deps.js';
import type { ConnectTokenPurpose } from '../domain/connect-tokens.js';
import { type Logger, newTraceId } from '../logger.js';
import { queryParam, redirect, sendPage } from './respond.js';

const BAD_ONBOARDING_LINK =
  'This link is not valid or has expired. Ask the ops team to send you a new onboarding invite in Slack.';
const BAD_LOGIN_LINK = 'This link is not valid or has expired. Ask the ops team for a new one in Slack.';
const STRIPE_DOWN = 'Stripe could not be reached just now. Please go back and try again in a minute.';

type Response = Parameters<CustomRoute['handler']>[1];

/**
 * GET /connect/<purpose>?token=…: verifies its own kind of signed token (a 400 page when it is bad or expired), then
 * `visit` answers for the seller's account; when Stripe cannot be reached the seller gets a page asking to try again.
 */
function tokenRoute(
  deps: AppDeps,
  purpose: ConnectTokenPurpose,
  badLink: string,
  visit: (accountId: string, res: Response, log: Logger) => Promise<void>,
): CustomRoute {
  return {
    path: `/connect/${purpose}`,
    method: 'GET',
    handler: async (req, res) => {
      const log = deps.logger.child({ traceId: newTraceId(), route: `connect.${purpose}` });
      const token = queryParam(req, 'token');
      const claims = token ? deps.tokens.verify(token, purpose) : undefined;
      if (!claims) {
        log.warn({ event: 'connect.bad_token' }, 'rejected connect token');
        return sendPage(res, 400, 'Link not valid', badLink);
      }
      try {
        await visit(claims.accountId, res, log.child({ accountId: claims.accountId }));
      } catch (error) {
        log.error(
          { err: error, event: `connect.${purpose}_failed`, accountId: claims.accountId },
          'could not answer a connect link',
        );
        sendPage(res, 502, 'Please try again', STRIPE_DOWN);
      }
    },
  };
}

/** /connect/start, /refresh, /return (onboarding) and /login (from a failed-payout DM). */
export function connectRoutes(deps: AppDeps): CustomRoute[] {
  // Account links and login links expire within minutes and work once, so each visit mints a new one.
  const toFreshLink = (purpose: 'start' | 'refresh') =>
    tokenRoute(deps, purpose, BAD_ONBOARDING_LINK, async (accountId, res, log) => {
      const url = await deps.sellers.onboardingLinkFor(accountId);
      log.info({ event: 'connect.link_created' }, 'redirecting to onboarding');
      redirect(res, url);
    });

  const returned = tokenRoute(deps, 'return', BAD_ONBOARDING_LINK, async (accountId, res, log) => {
    const result = await deps.sellers.syncAccount(accountId, { returned: true });
    log.info({ event: 'connect.returned', state: result?.seller.state }, 'seller returned from onboarding');
    if (result?.seller.state === 'payable') {
      return sendPage(
        res,
        200,
        "You're all set",
        'Your Stripe account is ready to receive payouts. You can close this page and go back to Slack.',
      );
    }
    sendPage(
      res,
      200,
      'Thanks!',
      'Stripe still needs a few details before you can be paid. We sent you a message in Slack with what is missing and a link to continue.',
    );
  });

  const dashboard = tokenRoute(deps, 'login', BAD_LOGIN_LINK, async (accountId, res, log) => {
    const url = await deps.sellers.dashboardLinkFor(accountId);
    log.info({ event: 'connect.login_link_created' }, 'redirecting to the Express Dashboard');
    redirect(res, url);
  });

  return [toFreshLink('start'), toFreshLink('refresh'), returned, dashboard];
}

import { newTraceId } from '../logger.js';
import type { CustomRoute } from '@slack/bolt';
import type { AppDeps } from '../deps.js';
import type { ConnectTokenPurpose } from '../domain/connect-tokens.js';
import { queryParam, redirect, sendPage } from './respond.js';

const BAD_LINK = 'This link is not valid or has expired. Ask the ops team to send you a new onboarding invite in Slack.';
const STRIPE_DOWN = 'Stripe could not be reached just now. Please go back and try again in a minute.';

/** GET /connect/start, /connect/refresh and /connect/return: each verifies its own kind of signed token. */
export function connectRoutes(deps: AppDeps): CustomRoute[] {
  const verify = (req: Parameters<CustomRoute['handler']>[0], purpose: ConnectTokenPurpose) => {
    const token = queryParam(req, 'token');
    return token ? deps.tokens.verify(token, purpose) : undefined;
  };

  const toFreshLink = (purpose: 'start' | 'refresh'): CustomRoute => ({
    path: `/connect/${purpose}`,
    method: 'GET',
    handler: async (req, res) => {
      const log = deps.logger.child({ traceId: newTraceId(), route: `connect.${purpose}` });
      const claims = verify(req, purpose);
      if (!claims) {
        log.warn({ event: 'connect.bad_token' }, 'rejected connect token');
        return sendPage(res, 400, 'Link not valid', BAD_LINK);
      }
      try {
        // Account links expire within minutes and work once, so each visit mints a new one.
        const url = await deps.sellers.onboardingLinkFor(claims.accountId);
        log.info({ event: 'connect.link_created', accountId: claims.accountId }, 'redirecting to onboarding');
        redirect(res, url);
      } catch (error) {
        log.error({ err: error, event: 'connect.link_failed', accountId: claims.accountId }, 'could not create account link');
        sendPage(res, 502, 'Please try again', STRIPE_DOWN);
      }
    },
  });

  const returned: CustomRoute = {
    path: '/connect/return',
    method: 'GET',
    handler: async (req, res) => {
      const log = deps.logger.child({ traceId: newTraceId(), route: 'connect.return' });
      const claims = verify(req, 'return');
      if (!claims) {
        log.warn({ event: 'connect.bad_token' }, 'rejected connect token');
        return sendPage(res, 400, 'Link not valid', BAD_LINK);
      }
      try {
        const result = await deps.sellers.syncAccount(claims.accountId, { returned: true });
        log.info({ event: 'connect.returned', accountId: claims.accountId, state: result?.seller.state }, 'seller returned from onboarding');
        if (result?.seller.state === 'payable') {
          return sendPage(res, 200, "You're all set", 'Your Stripe account is ready to receive payouts. You can close this page and go back to Slack.');
        }
        sendPage(res, 200, 'Thanks!', 'Stripe still needs a few details before you can be paid. We sent you a message in Slack with what is missing and a link to continue.');
      } catch (error) {
        log.error({ err: error, event: 'connect.return_failed', accountId: claims.accountId }, 'could not record the return');
        sendPage(res, 502, 'Please try again', STRIPE_DOWN);
      }
    },
  };

  /** From a failed-payout DM: login links expire within minutes, so each visit mints one. */
  const dashboard: CustomRoute = {
    path: '/connect/login',
    method: 'GET',
    handler: async (req, res) => {
      const log = deps.logger.child({ traceId: newTraceId(), route: 'connect.login' });
      const claims = verify(req, 'login');
      if (!claims) {
        log.warn({ event: 'connect.bad_token' }, 'rejected connect token');
        return sendPage(res, 400, 'Link not valid', 'This link is not valid or has expired. Ask the ops team for a new one in Slack.');
      }
      try {
        const url = await deps.sellers.dashboardLinkFor(claims.accountId);
        log.info({ event: 'connect.login_link_created', accountId: claims.accountId }, 'redirecting to the Express Dashboard');
        redirect(res, url);
      } catch (error) {
        log.error({ err: error, event: 'connect.login_failed', accountId: claims.accountId }, 'could not create a login link');
        sendPage(res, 502, 'Please try again', STRIPE_DOWN);
      }
    },
  };

  return [toFreshLink('start'), toFreshLink('refresh'), returned, dashboard];
}

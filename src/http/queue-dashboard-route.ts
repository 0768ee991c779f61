import type { CustomRoute } from '@slack/bolt';
import type { Queue } from 'bullmq';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import express from 'express';
import { sendJson } from './respond.js';
import { secretEquals } from './secret-equal.js';

export const DASHBOARD_PATH = '/admin/queues';

/** With retries allowed, the only writes let through: retry one job, or every job of a state. */
const RETRY = new RegExp(`^${DASHBOARD_PATH}/api/queues/[^/]+/(?:retry/[^/]+|[^/]+/retry)$`);

/**
 * Bull Board at /admin/queues, for `admin` with ADMIN_PASSWORD (basic auth). Read-only unless `allowRetries`; even
 * then only retries pass (Bull Board's write mode would also allow emptying or obliterating a queue).
 * Bull Board's Express adapter is an ordinary `(req, res)` listener, so it runs inside a Bolt custom route.
 */
export function queueDashboardRoute(queues: Queue[], options: { password: string; allowRetries: boolean }): CustomRoute {
  const board = new ExpressAdapter();
  board.setBasePath(DASHBOARD_PATH);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q, { readOnlyMode: !options.allowRetries, allowRetries: options.allowRetries })), serverAdapter: board });
  const app = express();
  app.disable('x-powered-by');
  app.use(DASHBOARD_PATH, board.getRouter());
  return {
    path: `${DASHBOARD_PATH}{/*rest}`,
    method: ['GET', 'PUT', 'POST', 'PATCH', 'DELETE'],
    handler: (req, res) => {
      const [scheme, encoded] = (req.headers.authorization ?? '').split(' ');
      const credentials = scheme === 'Basic' && encoded ? Buffer.from(encoded, 'base64').toString('utf8') : '';
      if (!secretEquals(credentials, `admin:${options.password}`)) {
        res.setHeader('www-authenticate', 'Basic realm="payout-ops queues", charset="UTF-8"');
        return sendJson(res, 401, { error: 'sign in as admin with ADMIN_PASSWORD' });
      }
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (req.method !== 'GET' && !(options.allowRetries && req.method === 'PUT' && RETRY.test(path))) {
        return sendJson(res, 403, { error: options.allowRetries ? 'the dashboard allows only retries' : 'the dashboard is read-only (ADMIN_QUEUES_RETRIES=true allows retries)' });
      }
      app(req, res);
    },
  };
}

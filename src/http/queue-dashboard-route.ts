import type { RequestListener } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import type { Queue } from 'bullmq';
import { sendJson } from './respond.js';
import { secretEquals } from './secret-equal.js';

export const DASHBOARD_PATH = '/admin/queues';

/** With retries allowed, the only writes let through: retry one job, or every job of a state. */
const RETRY = new RegExp(`^${DASHBOARD_PATH}/api/queues/[^/]+/(?:retry/[^/]+|[^/]+/retry)$`);

/** Bull Board inside an Express app, an ordinary `(req, res)` listener. */
async function loadDashboard(queues: Queue[], allowRetries: boolean): Promise<RequestListener> {
  const [{ createBullBoard }, { BullMQAdapter }, { ExpressAdapter }, { default: express }] = await Promise.all([
    import('@bull-board/api'),
    import('@bull-board/api/bullMQAdapter'),
    import('@bull-board/express'),
    import('express'),
  ]);
  const board = new ExpressAdapter();
  board.setBasePath(DASHBOARD_PATH);
  createBullBoard({
    queues: queues.map((q) => new BullMQAdapter(q, { readOnlyMode: !allowRetries, allowRetries })),
    serverAdapter: board,
  });
  const app = express();
  app.disable('x-powered-by');
  app.use(DASHBOARD_PATH, board.getRouter());
  return app;
}

/**
 * Bull Board at /admin/queues, for `admin` with ADMIN_PASSWORD (basic auth). Read-only unless `allowRetries`; even
 * then only retries pass (Bull Board's write mode would also allow emptying or obliterating a queue).
 * Bull Board's Express adapter is an ordinary `(req, res)` listener, so it runs inside a Bolt custom route. Bull Board
 * and Express (about 10 MB) load at the first signed-in request, not in every process that serves the ops routes.
 */
export function queueDashboardRoute(
  queues: Queue[],
  options: { password: string; allowRetries: boolean },
): CustomRoute {
  let dashboard: Promise<RequestListener> | undefined;
  return {
    path: `${DASHBOARD_PATH}{/*rest}`,
    method: ['GET', 'PUT', 'POST', 'PATCH', 'DELETE'],
    handler: async (req, res) => {
      const [scheme, encoded] = (req.headers.authorization ?? '').split(' ');
      const credentials = scheme === 'Basic' && encoded ? Buffer.from(encoded, 'base64').toString('utf8') : '';
      if (!secretEquals(credentials, `admin:${options.password}`)) {
        res.setHeader('www-authenticate', 'Basic realm="payout-ops queues", charset="UTF-8"');
        return sendJson(res, 401, { error: 'sign in as admin with ADMIN_PASSWORD' });
      }
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (req.method !== 'GET' && !(options.allowRetries && req.method === 'PUT' && RETRY.test(path))) {
        return sendJson(res, 403, {
          error: options.allowRetries
            ? 'the dashboard allows only retries'
            : 'the dashboard is read-only (ADMIN_QUEUES_RETRIES=true allows retries)',
        });
      }
      dashboard ??= loadDashboard(queues, options.allowRetries);
      const serve = await dashboard.catch(() => undefined);
      if (!serve) {
        dashboard = undefined;
        return sendJson(res, 503, { error: 'the queue dashboard could not load' });
      }
      serve(req, res);
    },
  };
}

import type { CustomRoute } from '@slack/bolt';
import type { Metrics } from '../adapters/metrics/metrics.js';
import { sendJson } from './respond.js';
import { secretEquals } from './secret-equal.js';

/** Prometheus text at /metrics, for a scraper that sends `Authorization: Bearer <token>`. */
export function metricsRoute(metrics: Metrics, token: string): CustomRoute {
  return {
    path: '/metrics',
    method: 'GET',
    handler: async (req, res) => {
      const presented = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!presented || !secretEquals(presented, token)) {
        res.setHeader('www-authenticate', 'Bearer');
        return sendJson(res, 401, { error: 'send Authorization: Bearer <METRICS_TOKEN>' });
      }
      try {
        const body = await metrics.registry.metrics();
        res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(body);
      } catch {
        sendJson(res, 503, { error: 'metrics unavailable (Redis did not answer)' });
      }
    },
  };
}

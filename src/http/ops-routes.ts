import type { CustomRoute } from '@slack/bolt';
import type { Worker } from 'bullmq';
import type { AppDeps } from '../deps.js';
import { healthRoute, readinessRoute } from './health-route.js';
import { metricsRoute } from './metrics-route.js';
import { queueDashboardRoute } from './queue-dashboard-route.js';

/**
 * What every role serves for operators: liveness, readiness, and (when configured) metrics and the queue dashboard.
 * `workers` is given on roles that run workers: readiness then needs every one running. Nothing here loads Bolt, so
 * the worker role serves these with node:http alone.
 */
export function opsRoutes(deps: AppDeps, workers?: () => Worker[] | undefined): CustomRoute[] {
  const { METRICS_TOKEN, ADMIN_PASSWORD, ADMIN_QUEUES_RETRIES } = deps.config;
  return [
    healthRoute(deps.redis),
    readinessRoute(deps.redis, workers),
    ...(METRICS_TOKEN ? [metricsRoute(deps.metrics, METRICS_TOKEN)] : []),
    ...(ADMIN_PASSWORD
      ? [queueDashboardRoute(deps.queues.all, { password: ADMIN_PASSWORD, allowRetries: ADMIN_QUEUES_RETRIES })]
      : []),
  ];
}

import type { RequestListener } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import { match } from 'path-to-regexp';
import { newTraceId } from '../logger.js';
import { withTrace } from '../trace.js';

/**
 * Serves Bolt custom routes without Bolt, for the worker role (which has no Slack endpoint): paths are matched the
 * way Bolt's receivers match them, each request runs inside a trace, anything else is a 404.
 */
export function routeListener(routes: CustomRoute[]): RequestListener {
  const table = routes.map((route) => ({
    matches: match(route.path, { decode: decodeURIComponent }),
    methods: [route.method].flat().map((m) => m.toUpperCase()),
    handler: route.handler,
  }));
  return (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    for (const route of table) {
      const found = route.methods.includes(req.method ?? '') && route.matches(path);
      if (found)
        return withTrace(
          newTraceId(),
          () => void route.handler(Object.assign(req, { params: found.params as Record<string, string> }), res),
        );
    }
    res.writeHead(404).end();
  };
}

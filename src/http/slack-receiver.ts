import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type BufferedIncomingMessage,
  HTTPModuleFunctions as boltHttp,
  type CustomRoute,
  HTTPReceiver,
  type Logger as SlackLogger,
} from '@slack/bolt';
import { type Logger, newTraceId } from '../logger.js';
import { refuseSlackBody } from '../slack/incoming.js';
import { withTrace } from '../trace.js';
import { sendJson } from './respond.js';

export const SLACK_EVENTS_PATH = '/slack/events';

export interface SlackReceiverOptions {
  signingSecret: string;
  customRoutes: CustomRoute[];
  boltLogger: SlackLogger;
  logger: Logger;
}

/**
 * Bolt's HTTP receiver with a gate in front of its Slack endpoint. Bolt reads fields of a signed body outside its
 * own error handling (a `payload` of `null` throws there, unhandled, and ends the process) and answers a payload
 * without `user` or `actions` with a 500. The gate checks size, signature and shape first and answers what fails
 * with a 4xx, so Bolt and the listeners only ever see requests of a kind this app handles. Every request, custom
 * routes included, is served inside a trace (see trace.ts).
 */
export function createSlackReceiver(options: SlackReceiverOptions): HTTPReceiver {
  const receiver = new HTTPReceiver({
    signingSecret: options.signingSecret,
    endpoints: SLACK_EVENTS_PATH,
    customRoutes: options.customRoutes,
    logger: options.boltLogger,
    processBeforeResponse: false,
  });
  const log = options.logger.child({ component: 'slack.gate' });
  const bolt = receiver.requestListener;
  receiver.requestListener = (req, res) => {
    const traceId = newTraceId();
    withTrace(traceId, () => {
      if (req.method !== 'POST' || new URL(req.url ?? '/', 'http://localhost').pathname !== SLACK_EVENTS_PATH)
        return bolt(req, res);
      void admit(req, res, options.signingSecret, log.child({ traceId })).then(
        (admitted) => admitted && bolt(admitted, res),
      );
    });
  };
  return receiver;
}

/** The buffered request when Bolt may have it (Bolt reuses its `rawBody`), or undefined once answered with a 4xx. */
async function admit(
  req: IncomingMessage,
  res: ServerResponse,
  signingSecret: string,
  log: Logger,
): Promise<BufferedIncomingMessage | undefined> {
  const refuse = (status: number, reason: string) => {
    log.warn({ event: 'slack.request_refused', status, reason }, 'refused a request to the Slack endpoint');
    sendJson(res, status, { error: reason });
    return undefined;
  };
  let buffered: BufferedIncomingMessage;
  try {
    buffered = await boltHttp.parseAndVerifyHTTPRequest({ signingSecret, bodyLimit: boltHttp.defaultBodyLimit }, req);
  } catch (error) {
    if (boltHttp.isRawBodyError(error)) {
      // The rest of the body was never read: close the connection rather than let a client send its next request on it.
      res.setHeader('connection', 'close');
      return refuse(error.statusCode, error.message);
    }
    return refuse(401, 'invalid or expired Slack signature');
  }
  let body: unknown;
  try {
    body = boltHttp.parseHTTPRequestBody(buffered);
  } catch {
    return refuse(400, 'the body (or its payload) is not JSON');
  }
  const reason = refuseSlackBody(body);
  return reason ? refuse(400, reason) : buffered;
}

import type { WebClient } from '@slack/web-api';
import type { RequestNotifier } from '../../domain/ports.js';
import type { PayoutRequest } from '../../domain/requests.types.js';
import type { Logger } from '../../logger.js';
import { type HomeData, homeView } from '../../slack/blocks/home.js';
import type { RedisClient } from '../redis/connection.js';
import { storeKey } from '../redis/keys.js';
import { bestEffort } from './messenger.js';

const VIEWERS = storeKey('home:viewers');
const refreshKey = (viewer: string) => storeKey(`home:refresh:${viewer}`);
/** A Home tab is one person's in one workspace: "T…:U…". */
const viewerOf = (teamId: string, userId: string) => `${teamId}:${userId}`;
/** Changes closer together than this make one views.publish per person (across processes). */
export const HOME_DEBOUNCE_MS = 1_500;

export interface HomePublisher {
  /** Renders and publishes this person's Home tab now (they opened it, or just acted on it). */
  publish(teamId: string, userId: string): Promise<void>;
  /** Something a Home tab shows changed: these people and everyone who has opened the tab get a fresh one, debounced. */
  changed(teamId: string, userIds: string[]): Promise<void>;
}

/**
 * views.publish with the `hash` of the view this process last published: should another process have published
 * in between, Slack answers hash_conflict and the view is rendered again from fresh state, never left older.
 */
export function createHomePublisher(deps: {
  slack: WebClient;
  redis: RedisClient;
  load: (teamId: string, userId: string) => Promise<HomeData>;
  logger: Logger;
}): HomePublisher {
  const hashes = new Map<string, string>();
  async function publish(teamId: string, userId: string): Promise<void> {
    await deps.redis.sadd(VIEWERS, viewerOf(teamId, userId));
    for (let attempt = 0; attempt < 2; attempt++) {
      const view = homeView(await deps.load(teamId, userId));
      const hash = attempt === 0 ? hashes.get(userId) : undefined;
      try {
        const result = await deps.slack.views.publish({ user_id: userId, view, ...(hash ? { hash } : {}) });
        if (result.view?.hash) hashes.set(userId, result.view.hash);
        return;
      } catch (error) {
        if ((error as { data?: { error?: string } }).data?.error !== 'hash_conflict') throw error;
      }
    }
  }
  return {
    publish,
    async changed(teamId, userIds) {
      const viewers = new Set([...userIds.map((u) => viewerOf(teamId, u)), ...(await deps.redis.smembers(VIEWERS))]);
      for (const viewer of viewers) {
        // The first change in a window schedules the publish; later ones in the same window ride on it.
        if ((await deps.redis.set(refreshKey(viewer), '1', 'PX', HOME_DEBOUNCE_MS, 'NX')) !== 'OK') continue;
        const [team = teamId, userId = viewer] = viewer.split(':');
        setTimeout(
          () => void bestEffort(deps.logger, 'home', () => publish(team, userId), { userId }),
          HOME_DEBOUNCE_MS,
        ).unref();
      }
    },
  };
}

/** The request notifier, with every Home tab that shows the request refreshed after each step. */
export function refreshingHomes(notifier: RequestNotifier, home: HomePublisher, logger: Logger): RequestNotifier {
  const after =
    <A extends PayoutRequest, R>(step: (request: A) => Promise<R>) =>
    async (request: A): Promise<R> => {
      const result = await step(request);
      await bestEffort(logger, 'home-changed', () => home.changed(request.teamId, [request.requestedBy]));
      return result;
    };
  return {
    posted: after(notifier.posted),
    changed: after(notifier.changed),
    finished: after(notifier.finished),
    settled: after(notifier.settled),
  };
}

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { type RedisServerHandle, startRedisServer } from './redis-server.js';

/**
 * Real Redis topologies on spare loopback ports, for the failover tests and the benchmark: a Cluster of three masters
 * and three replicas, and a Sentinel set (one master, one replica, three Sentinels). Started from Debian's
 * `redis-server`, `redis-cli` and `redis-sentinel`; when one is missing, start() fails saying which to install.
 */
export interface RedisTopology {
  kind: 'cluster' | 'sentinel';
  /** The bot's variables for this topology (REDIS_CLUSTER_NODES, or REDIS_SENTINELS and REDIS_SENTINEL_NAME). */
  env: Record<string, string>;
  /** The port of the master that holds `key` now. */
  masterPort(key: string): Promise<number>;
  /**
   * Fails over the master holding `key`: `manual` asks for it (CLUSTER FAILOVER on its replica, SENTINEL FAILOVER),
   * `kill` SIGKILLs the master and, once its replica has taken over, restarts it as the new replica.
   * Resolves when the new master serves writes and has a replica again.
   */
  failover(key: string, mode: 'manual' | 'kill'): Promise<{ from: number; to: number }>;
  stop(): Promise<void>;
}

const SENTINEL_NAME = 'mymaster';
const run = promisify(execFile);

/** A short-lived admin connection to one server, closed after `use`. */
async function withNode<T>(port: number, use: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis({
    host: '127.0.0.1',
    port,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 1_000,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return await use(redis);
  } finally {
    redis.disconnect();
  }
}

async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      if (await probe()) return;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const field = (info: string, name: string) => new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1]?.trim();

/** A master that accepts writes and has a replica whose link is up. */
async function servesWithReplica(port: number): Promise<boolean> {
  return withNode(port, async (redis) => {
    const info = await redis.info('replication');
    return (
      field(info, 'role') === 'master' &&
      Number(field(info, 'connected_slaves')) >= 1 &&
      /slave0:.*state=online/.test(info)
    );
  });
}

async function stopAll(servers: RedisServerHandle[]): Promise<void> {
  await Promise.all(servers.map((s) => s.stop().catch(() => undefined)));
}

async function startAll(
  count: number,
  start: () => Promise<RedisServerHandle>,
  started: RedisServerHandle[],
): Promise<RedisServerHandle[]> {
  const mine: RedisServerHandle[] = [];
  for (let i = 0; i < count; i += 1) {
    const server = await start();
    started.push(server);
    mine.push(server);
  }
  return mine;
}

/** Every node says cluster_state:ok and sees every slot range served by a master and a replica. */
async function settled(servers: RedisServerHandle[]): Promise<boolean> {
  const views = await Promise.all(
    servers.map((s) =>
      withNode(s.port, async (r) => {
        const ok = field((await r.cluster('INFO')) as string, 'cluster_state') === 'ok';
        return ok && (await r.cluster('SLOTS')).every((range) => range.length >= 4);
      }),
    ),
  );
  return views.every(Boolean);
}

export async function startRedisCluster(): Promise<RedisTopology> {
  const servers: RedisServerHandle[] = [];
  try {
    await startAll(
      6,
      () =>
        startRedisServer({
          extraArgs: [
            '--cluster-enabled',
            'yes',
            '--cluster-config-file',
            'nodes.conf',
            '--cluster-node-timeout',
            '2000',
          ],
        }),
      servers,
    );
    await run(
      'redis-cli',
      ['--cluster', 'create', ...servers.map((s) => `127.0.0.1:${s.port}`), '--cluster-replicas', '1', '--cluster-yes'],
      { timeout: 60_000 },
    ).catch((error: NodeJS.ErrnoException & { stdout?: string; stderr?: string }) => {
      if (error.code === 'ENOENT')
        throw new Error('redis-cli not found: install it with `apt-get install redis-tools` (Debian/Ubuntu)');
      throw new Error(`redis-cli --cluster create failed:\n${error.stdout ?? ''}${error.stderr ?? ''}`);
    });
    await waitFor('every cluster node to be ok and see a replica beside every master', () => settled(servers));
  } catch (error) {
    await stopAll(servers);
    throw error;
  }
  const byPort = new Map(servers.map((s) => [s.port, s]));
  /** The first node that answers (one may be down mid-failover). */
  const anyLive = async () => {
    for (const s of servers)
      if (await withNode(s.port, async (r) => (await r.ping()) === 'PONG').catch(() => false)) return s.port;
    throw new Error('no cluster node answers');
  };

  /** The slot's master and replica ports, as the given node sees them. */
  const slotOwners = async (key: string, askPort: number): Promise<{ master: number; replicas: number[] }> =>
    withNode(askPort, async (redis) => {
      const slot = (await redis.cluster('KEYSLOT', key)) as number;
      const ranges = await redis.cluster('SLOTS');
      const range = ranges.find(([from, to]) => slot >= from && slot <= to);
      if (!range) throw new Error(`no node serves slot ${slot}`);
      const [, , ...nodes] = range;
      return { master: nodes[0]![1], replicas: nodes.slice(1).map((node) => node[1]) };
    });

  const masterPort = async (key: string) => (await slotOwners(key, await anyLive())).master;

  return {
    kind: 'cluster',
    env: { REDIS_CLUSTER_NODES: addresses(servers) },
    masterPort,
    async failover(key, mode) {
      const { master: from, replicas } = await slotOwners(key, await anyLive());
      const to = replicas[0];
      if (to === undefined) throw new Error(`the master on ${from} has no replica to fail over to`);
      if (mode === 'manual') {
        await withNode(to, (redis) => redis.cluster('FAILOVER'));
      } else {
        await byPort.get(from)!.kill();
      }
      await waitFor(
        `the replica on ${to} to take over from ${from}`,
        async () => (await slotOwners(key, to)).master === to,
      );
      if (mode === 'kill') await byPort.get(from)!.restart();
      await waitFor(`the new master on ${to} to have a replica again`, () => servesWithReplica(to));
      await waitFor('every cluster node to be ok and see a replica beside every master', () => settled(servers));
      return { from, to };
    },
    stop: () => stopAll(servers),
  };
}

const addresses = (servers: { port: number }[]) => servers.map((s) => `127.0.0.1:${s.port}`).join(',');

export async function startRedisSentinelSet(): Promise<RedisTopology> {
  const started: RedisServerHandle[] = [];
  let master: RedisServerHandle;
  let replica: RedisServerHandle;
  let sentinels: RedisServerHandle[];
  try {
    [master] = (await startAll(1, () => startRedisServer(), started)) as [RedisServerHandle];
    [replica] = (await startAll(
      1,
      () => startRedisServer({ extraArgs: ['--replicaof', '127.0.0.1', String(master.port)] }),
      started,
    )) as [RedisServerHandle];
    const config = [
      `sentinel monitor ${SENTINEL_NAME} 127.0.0.1 ${master.port} 2`,
      `sentinel down-after-milliseconds ${SENTINEL_NAME} 1000`,
      `sentinel failover-timeout ${SENTINEL_NAME} 3000`,
      `sentinel parallel-syncs ${SENTINEL_NAME} 1`,
      '',
    ].join('\n');
    sentinels = await startAll(3, () => startRedisServer({ sentinelConfig: config }), started);
    await waitFor('the master to have its replica', () => servesWithReplica(master.port));
    await waitFor('every Sentinel to know the replica and the two other Sentinels', async () => {
      const views = await Promise.all(
        sentinels.map((s) =>
          withNode(s.port, async (r) => {
            const replicas = (await r.call('SENTINEL', 'REPLICAS', SENTINEL_NAME)) as unknown[];
            const peers = (await r.call('SENTINEL', 'SENTINELS', SENTINEL_NAME)) as unknown[];
            return replicas.length === 1 && peers.length === 2;
          }),
        ),
      );
      return views.every(Boolean);
    });
  } catch (error) {
    await stopAll(started);
    throw error;
  }
  const servers = [master, replica];
  const byPort = new Map(servers.map((s) => [s.port, s]));
  const masterAt = (sentinelPort: number) =>
    withNode(sentinelPort, async (r) =>
      Number(((await r.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', SENTINEL_NAME)) as [string, string])[1]),
    );
  const masterPort = () => masterAt(sentinels[0]!.port);

  return {
    kind: 'sentinel',
    env: { REDIS_SENTINELS: addresses(sentinels), REDIS_SENTINEL_NAME: SENTINEL_NAME },
    masterPort,
    async failover(_key, mode) {
      const from = await masterPort();
      const to = servers.find((s) => s.port !== from)!.port;
      if (mode === 'manual') {
        await withNode(sentinels[0]!.port, (r) => r.call('SENTINEL', 'FAILOVER', SENTINEL_NAME));
      } else {
        await byPort.get(from)!.kill();
      }
      await waitFor(`every Sentinel to name ${to} the master`, async () =>
        (await Promise.all(sentinels.map((s) => masterAt(s.port)))).every((port) => port === to),
      );
      if (mode === 'kill') await byPort.get(from)!.restart();
      // A restarted old master comes back as a master until a Sentinel turns it into the new master's replica.
      await waitFor(`the new master on ${to} to have a replica again`, () => servesWithReplica(to), 60_000);
      return { from, to };
    },
    stop: () => stopAll(started),
  };
}

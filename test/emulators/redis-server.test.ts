import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { type RedisServerHandle, startRedisServer } from '../../emulators/redis-server.js';

const started: RedisServerHandle[] = [];
const clients: Redis[] = [];

async function start(appendonly: boolean): Promise<RedisServerHandle> {
  const server = await startRedisServer({ appendonly });
  started.push(server);
  return server;
}

function client(server: RedisServerHandle): Redis {
  const redis = new Redis(server.url, { maxRetriesPerRequest: 1, retryStrategy: () => null, lazyConnect: true });
  clients.push(redis);
  return redis;
}

function portAcceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

afterEach(async () => {
  for (const redis of clients.splice(0)) redis.disconnect();
  await Promise.all(started.splice(0).map((server) => server.stop()));
});

describe('startRedisServer', () => {
  it('starts a private server on a spare port that answers SET/GET', async () => {
    const server = await start(false);
    expect(server.port).not.toBe(6379);
    expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
    const redis = client(server);
    await redis.set('payout:1', 'queued');
    expect(await redis.get('payout:1')).toBe('queued');
    expect(await redis.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
  });

  it('keeps data across restart() and a SIGKILL crash when appendonly', async () => {
    const server = await start(true);
    const redis = client(server);
    await redis.set('seller:42', 'onboarded');
    redis.disconnect();

    await server.restart();
    const afterRestart = client(server);
    expect(await afterRestart.get('seller:42')).toBe('onboarded');
    await afterRestart.set('seller:43', 'pending');
    afterRestart.disconnect();

    await server.kill();
    expect(await portAcceptsConnections(server.port)).toBe(false);
    await server.restart();
    expect(await client(server).mget('seller:42', 'seller:43')).toEqual(['onboarded', 'pending']);
  });

  it('loses data across restart() without appendonly', async () => {
    const server = await start(false);
    const redis = client(server);
    await redis.set('ephemeral', '1');
    redis.disconnect();
    await server.restart();
    expect(await client(server).get('ephemeral')).toBeNull();
  });

  it('stop() shuts the server down and removes its directory', async () => {
    const server = await startRedisServer();
    expect(existsSync(server.dir)).toBe(true);
    await server.stop();
    expect(existsSync(server.dir)).toBe(false);
    expect(await portAcceptsConnections(server.port)).toBe(false);
  });

  it('names the package to install when the binary is missing', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      await expect(startRedisServer()).rejects.toThrow(/apt-get install redis-server.*brew install redis/);
    } finally {
      process.env.PATH = path;
    }
  });

  it('refuses the shared Redis port', async () => {
    await expect(startRedisServer({ port: 6379 })).rejects.toThrow(/6379/);
  });
});

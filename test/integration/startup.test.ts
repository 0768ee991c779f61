import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LogCapture } from '../../emulators/local-stack.js';
import { sparePort } from '../../emulators/loopback.js';
import { type RedisServerHandle, startRedisServer } from '../../emulators/redis-server.js';
import { RedisPolicyError } from '../../src/adapters/redis/connection.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { startBot } from '../../src/server.js';
import { validEnv } from '../support/env.js';

let redis: RedisServerHandle;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.stop();
});

const env = (extra: Record<string, string> = {}) => ({
  ...validEnv,
  REDIS_URL: redis.url,
  STRIPE_API_BASE: 'http://127.0.0.1:9',
  SLACK_API_URL: 'http://127.0.0.1:9/api/',
  LOG_LEVEL: 'warn',
  ...extra,
});

describe('start-up and shutdown', () => {
  it('when Redis may evict keys, then start-up is refused with a message that says how to fix it', async () => {
    const admin = new Redis(redis.url);
    await admin.config('SET', 'maxmemory-policy', 'allkeys-lru');
    try {
      const start = startBot(
        loadConfig(env({ PORT: '0', ROLE: 'worker' })),
        createLogger({ level: 'silent', destination: new LogCapture() }),
      );
      await expect(start).rejects.toBeInstanceOf(RedisPolicyError);
      await expect(start).rejects.toThrow(/CONFIG SET maxmemory-policy noeviction/);
    } finally {
      await admin.config('SET', 'maxmemory-policy', 'noeviction');
      admin.disconnect();
    }
  });

  it('when the configuration is missing a variable, then the process exits naming it', async () => {
    const { SLACK_SIGNING_SECRET: _, ...rest } = env();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { PATH: process.env.PATH, ...rest },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(78);
    expect(stderr).toContain('SLACK_SIGNING_SECRET is required');
    expect(stderr).not.toContain(validEnv.STRIPE_SECRET_KEY);
  });

  it('when a worker gets SIGTERM, then it answers health until it drains, and exits 0', async () => {
    const port = await sparePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { PATH: process.env.PATH, ...env({ ROLE: 'worker', PORT: String(port) }) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const deadline = Date.now() + 15_000;
    let health = 0;
    while (Date.now() < deadline && health !== 200) {
      health = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.status,
        () => 0,
      );
      if (health !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(health).toBe(200);
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(0);
    expect(stdout).not.toContain(validEnv.SLACK_BOT_TOKEN);
  });
});

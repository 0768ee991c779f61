import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sparePort } from './loopback.js';

export interface RedisServerOptions {
  /** Default false. With true, data survives restart() and kill() + restart(). */
  appendonly?: boolean;
  /** Default: a spare port. 6379 is refused so the machine's shared Redis is never touched. */
  port?: number;
}

export interface RedisServerHandle {
  url: string;
  port: number;
  dir: string;
  /** Clean shutdown; removes the data directory. */
  stop(): Promise<void>;
  /** Stop (if running) and start again on the same port and directory. */
  restart(): Promise<void>;
  /** SIGKILL, like a crash; the data directory stays so restart() can recover it. */
  kill(): Promise<void>;
}

const SHARED_REDIS_PORT = 6379;
const READY_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;
const NOT_FOUND_MESSAGE =
  'redis-server not found: install it with `apt-get install redis-server` (Debian/Ubuntu) or `brew install redis` (macOS)';

interface Running {
  child: ChildProcess;
  exited: Promise<void>;
}

// Every server and data dir this process started, so a failing or SIGTERMed test run (vitest stops workers with
// SIGTERM) never leaves redis-server processes or temp dirs behind.
const children = new Set<ChildProcess>();
const dirs = new Set<string>();
let exitHooksInstalled = false;

function cleanUpNow(): void {
  for (const child of children) child.kill('SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  children.clear();
  dirs.clear();
}

function installExitHooks(): void {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.once('exit', cleanUpNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      // Another listener owns shutdown and will exit; the 'exit' hook cleans up then.
      if (process.listenerCount(signal) > 0) return;
      cleanUpNow();
      // Our listener suppressed the default action; re-raise so the process still dies.
      process.kill(process.pid, signal);
    });
  }
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('*1\r\n$4\r\nPING\r\n'));
    // While loading the AOF Redis answers -LOADING; only +PONG means ready.
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

async function launch(port: number, dir: string, appendonly: boolean): Promise<Running> {
  mkdirSync(dir, { recursive: true });
  const child = spawn(
    'redis-server',
    [
      '--port', String(port),
      '--bind', '127.0.0.1',
      '--save', '',
      '--appendonly', appendonly ? 'yes' : 'no',
      '--dir', dir,
      '--maxmemory-policy', 'noeviction',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  let announcedReady = false;
  const keepTail = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
    announcedReady ||= output.includes('Ready to accept connections');
  };
  child.stdout?.on('data', keepTail);
  child.stderr?.on('data', keepTail);

  let exitedEarly: Error | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      exitedEarly = error.code === 'ENOENT' ? new Error(NOT_FOUND_MESSAGE) : error;
      children.delete(child);
      resolve();
    });
    child.once('exit', (code, signal) => {
      exitedEarly ??= new Error(`redis-server exited (code ${code}, signal ${signal}) before it was ready:\n${output}`);
      children.delete(child);
      resolve();
    });
  });
  children.add(child);
  dirs.add(dir);
  installExitHooks();

  const deadline = Date.now() + READY_TIMEOUT_MS;
  // Waiting for our own server's log line first means a stranger already bound to the port can't answer the PING.
  while (!(announcedReady && (await ping(port)))) {
    if (exitedEarly) throw exitedEarly;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      await exited;
      throw new Error(`redis-server on port ${port} did not answer PING within ${READY_TIMEOUT_MS}ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { child, exited };
}

async function terminate(running: Running, signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
  if (running.child.exitCode !== null || running.child.signalCode !== null) return;
  running.child.kill(signal);
  const timer = setTimeout(() => running.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await running.exited;
  clearTimeout(timer);
}

export async function startRedisServer(opts: RedisServerOptions = {}): Promise<RedisServerHandle> {
  if (opts.port === SHARED_REDIS_PORT) {
    throw new Error('startRedisServer refuses port 6379: that is the machine\'s shared Redis');
  }
  const appendonly = opts.appendonly ?? false;
  const dir = mkdtempSync(join(tmpdir(), 'payout-ops-redis-'));

  let port = opts.port ?? (await sparePort());
  let running: Running | undefined;
  // A spare port can be taken between probing and binding; pick another unless the caller chose it.
  for (let attempt = 1; !running; attempt += 1) {
    try {
      running = await launch(port, dir, appendonly);
    } catch (error) {
      const portTaken = error instanceof Error && /address already in use/i.test(error.message);
      if (!portTaken || opts.port !== undefined || attempt >= 5) {
        rmSync(dir, { recursive: true, force: true });
        dirs.delete(dir);
        throw error;
      }
      port = await sparePort();
    }
  }

  let current: Running | undefined = running;
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    async stop() {
      if (current) await terminate(current, 'SIGTERM');
      current = undefined;
      rmSync(dir, { recursive: true, force: true });
      dirs.delete(dir);
    },
    async restart() {
      if (current) await terminate(current, 'SIGTERM');
      current = undefined;
      current = await launch(port, dir, appendonly);
    },
    async kill() {
      if (current) await terminate(current, 'SIGKILL');
      current = undefined;
    },
  };
}

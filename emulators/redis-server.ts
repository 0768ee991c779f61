import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sparePort } from './loopback.js';

export interface RedisServerOptions {
  /** Default false. With true, data survives restart() and kill() + restart(). */
  appendonly?: boolean;
  /** Default: a spare port. 6379 is refused so the machine's shared Redis is never touched. */
  port?: number;
  /** More redis-server arguments, e.g. `--cluster-enabled yes` or `--replicaof 127.0.0.1 7000`. */
  extraArgs?: string[];
  /** Runs `redis-sentinel` with this configuration (written to the data directory) instead of a redis-server. */
  sentinelConfig?: string;
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
const notFoundMessage = (binary: string) =>
  `${binary} not found: install it with \`apt-get install ${binary}\` (Debian/Ubuntu) or \`brew install redis\` (macOS)`;

/** What to run: a redis-server with extra arguments, or a redis-sentinel with its configuration file. */
interface Launchable {
  appendonly: boolean;
  extraArgs: string[];
  sentinelConfig: string | undefined;
}

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

async function launch(port: number, dir: string, what: Launchable): Promise<Running> {
  mkdirSync(dir, { recursive: true });
  const binary = what.sentinelConfig === undefined ? 'redis-server' : 'redis-sentinel';
  const common = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir];
  let args: string[];
  if (what.sentinelConfig === undefined) {
    args = [
      ...common,
      '--save',
      '',
      '--appendonly',
      what.appendonly ? 'yes' : 'no',
      '--maxmemory-policy',
      'noeviction',
      ...what.extraArgs,
    ];
  } else {
    // Sentinel rewrites its file as it learns the set: keep it in the data directory, and write it only once.
    const file = join(dir, 'sentinel.conf');
    if (!existsSync(file)) writeFileSync(file, what.sentinelConfig);
    args = [file, ...common];
  }
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const readyLine = what.sentinelConfig === undefined ? 'Ready to accept connections' : 'Sentinel ID is';
  let output = '';
  let announcedReady = false;
  const keepTail = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
    announcedReady ||= output.includes(readyLine);
  };
  child.stdout?.on('data', keepTail);
  child.stderr?.on('data', keepTail);

  let exitedEarly: Error | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      exitedEarly = error.code === 'ENOENT' ? new Error(notFoundMessage(binary)) : error;
      children.delete(child);
      resolve();
    });
    child.once('exit', (code, signal) => {
      exitedEarly ??= new Error(`${binary} exited (code ${code}, signal ${signal}) before it was ready:\n${output}`);
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
      throw new Error(`${binary} on port ${port} did not answer PING within ${READY_TIMEOUT_MS}ms:\n${output}`);
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
    throw new Error("startRedisServer refuses port 6379: that is the machine's shared Redis");
  }
  const what: Launchable = {
    appendonly: opts.appendonly ?? false,
    extraArgs: opts.extraArgs ?? [],
    sentinelConfig: opts.sentinelConfig,
  };
  const dir = mkdtempSync(join(tmpdir(), 'payout-ops-redis-'));

  let port = opts.port ?? (await sparePort());
  let running: Running | undefined;
  // A spare port can be taken between probing and binding; pick another unless the caller chose it.
  for (let attempt = 1; !running; attempt += 1) {
    try {
      running = await launch(port, dir, what);
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
      current = await launch(port, dir, what);
    },
    async kill() {
      if (current) await terminate(current, 'SIGKILL');
      current = undefined;
    },
  };
}

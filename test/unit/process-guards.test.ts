import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';

async function runCrashingProcess(): Promise<{ code: number | null; lines: Record<string, unknown>[] }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/crash-under-guards.ts'], {
    env: { PATH: process.env.PATH },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return {
    code,
    lines: stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe('the process guards', () => {
  it('when a request leaves a rejection unhandled and then throws, then both are logged with its trace id, and the process drains and exits non-zero', async () => {
    const { code, lines } = await runCrashingProcess();
    const byEvent = (event: string) => lines.find((line) => line.event === event);
    expect(byEvent('process.unhandled_rejection')).toMatchObject({
      level: 50,
      traceId: 'trace_crash',
      err: { message: 'nobody awaited me' },
    });
    expect(byEvent('process.uncaught_exception')).toMatchObject({
      level: 60,
      traceId: 'trace_crash',
      err: { message: 'thrown from a timer' },
    });
    expect(byEvent('test.drained')).toMatchObject({ reason: 'uncaughtException', exitCode: 1 });
    // The rejection alone drained nothing: the drain came after the exception.
    expect(lines.findIndex((line) => line.event === 'test.drained')).toBeGreaterThan(
      lines.findIndex((line) => line.event === 'process.uncaught_exception'),
    );
    expect(code).toBe(1);
  });
});

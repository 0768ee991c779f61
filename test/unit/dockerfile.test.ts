import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseStartScript } from '../support/start-script.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  engines: { node: string };
};

/** Instructions with `\` continuations joined and comments dropped. */
const instructions = dockerfile
  .replace(/\\\r?\n/g, ' ')
  .split(/\r?\n/)
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'));

interface Stage {
  from: string;
  name: string | undefined;
  lines: string[];
}

const stages: Stage[] = [];
for (const line of instructions) {
  const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
  if (from) stages.push({ from: from[1]!, name: from[2], lines: [] });
  else stages.at(-1)?.lines.push(line);
}
const finalStage = stages.at(-1)!;
const last = (stage: Stage, keyword: string) =>
  stage.lines.filter((line) => new RegExp(`^${keyword}\\s`, 'i').test(line)).at(-1);

describe('the Dockerfile', () => {
  it('builds in named stages and ships only the last one', () => {
    expect(stages.filter((stage) => stage.name).length).toBeGreaterThanOrEqual(2);
    expect(finalStage.name).toBeDefined();
  });

  it('builds and runs every stage on the Node LTS that package.json engines start at', () => {
    const lowestMajor = /^>=(\d+)\./.exec(packageJson.engines.node)?.[1];
    expect(lowestMajor).toBe('22');
    expect(stages.map((stage) => stage.from)).toEqual(stages.map(() => `node:${lowestMajor}-bookworm-slim`));
  });

  it('installs production dependencies only for the image', () => {
    expect(dockerfile).toMatch(/npm ci\b[^\n]*--omit=dev/);
    const copiedModules = finalStage.lines.find((line) => /^COPY\s+--from=\S+\s+\S*node_modules/i.test(line));
    const fromStage = /--from=(\S+)/.exec(copiedModules ?? '')?.[1];
    const source = stages.find((stage) => stage.name === fromStage);
    expect(
      source?.lines.some((line) => /npm ci\b.*--omit=dev/.test(line)),
      'the runtime copies node_modules from the stage that runs npm ci --omit=dev',
    ).toBe(true);
  });

  it('runs in production mode as a user that is not root', () => {
    expect(finalStage.lines.some((line) => /^ENV\s.*\bNODE_ENV=production\b/.test(line))).toBe(true);
    const user = last(finalStage, 'USER')?.split(/\s+/)[1];
    expect(user).toBeDefined();
    expect(['root', '0', '0:0']).not.toContain(user);
  });

  it('checks /healthz with node, since the slim image has no curl', () => {
    const healthcheck = last(finalStage, 'HEALTHCHECK');
    expect(healthcheck).toMatch(/\bCMD\s+node -e\b/);
    expect(healthcheck).toContain('/healthz');
    expect(healthcheck).toMatch(/process\.exit\(1\)|exit\(1\)/);
    expect(last(finalStage, 'EXPOSE')).toBe('EXPOSE 3000');
  });

  it('starts the bot exactly as npm start does, in exec form, with the environment npm start sets', () => {
    const cmd = last(finalStage, 'CMD');
    const exec = JSON.parse(cmd!.replace(/^CMD\s+/i, '')) as string[];
    const start = parseStartScript(packageJson.scripts.start!);
    expect(exec).toEqual([start.node, ...start.args]);
    const env = finalStage.lines.filter((line) => /^ENV\s/i.test(line)).join(' ');
    for (const [name, value] of Object.entries(start.env)) expect(env).toMatch(new RegExp(`\\b${name}=${value}\\b`));
    expect(last(finalStage, 'ENTRYPOINT')).toBeUndefined();
  });
});

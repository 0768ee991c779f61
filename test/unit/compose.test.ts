import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CONFIG_VARIABLES, loadConfig } from '../../src/config.js';
import { validEnv } from '../support/env.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<
    string,
    {
      build?: string;
      image?: string;
      command?: string[];
      environment?: Record<string, string>;
      ports?: string[];
      depends_on?: Record<string, { condition: string }>;
    }
  >;
};
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const services = compose.services;
const bots = Object.entries(services).filter(([, s]) => s.environment?.ROLE);

/** Compose's `${NAME:?message}` and `${NAME:-default}`, read from `shell`. */
function interpolate(value: string, shell: Record<string, string>): string {
  return value.replace(/\$\{(\w+)(?::([?-])([^}]*))?\}/g, (_, name: string, kind: string | undefined, rest: string) => {
    const set = shell[name];
    if (set) return set;
    if (kind === '?') throw new Error(`${name}: ${rest}`);
    return kind === '-' ? rest : '';
  });
}
const environmentOf = (name: string, shell: Record<string, string>) =>
  Object.fromEntries(Object.entries(services[name]!.environment!).map(([k, v]) => [k, interpolate(String(v), shell)]));

describe('docker-compose.yml', () => {
  it('runs Redis with AOF and noeviction, which the bot requires', () => {
    const command = services.redis!.command!.join(' ');
    expect(command).toMatch(/--appendonly yes\b/);
    expect(command).toMatch(/--maxmemory-policy noeviction\b/);
  });

  it('runs one web role and two workers, built from the Dockerfile, after Redis is healthy', () => {
    expect(bots.map(([, s]) => s.environment!.ROLE).sort()).toEqual(['web', 'worker', 'worker']);
    for (const [, s] of bots) {
      expect(s.build).toBe('.');
      expect(s.depends_on?.redis?.condition).toBe('service_healthy');
    }
    const exposed = /^EXPOSE\s+(\d+)/m.exec(dockerfile)?.[1];
    expect(services.web!.ports).toEqual([`${exposed}:${exposed}`]);
  });

  it('sets only variables the configuration reads, and each role starts with them once the secrets are given', () => {
    for (const [name, s] of bots) {
      for (const key of Object.keys(s.environment!)) expect(CONFIG_VARIABLES, `${name} sets ${key}`).toContain(key);
      const { REDIS_URL: _, ...secrets } = validEnv;
      const config = loadConfig(environmentOf(name, secrets));
      expect(config.ROLE).toBe(s.environment!.ROLE);
      expect(config.redis).toEqual({ kind: 'single', url: 'redis://redis:6379' });
      expect(config.METRICS_TOKEN).toBeUndefined();
    }
  });

  it('refuses to start while a secret is missing, naming it', () => {
    const { SLACK_SIGNING_SECRET: _, ...rest } = validEnv;
    expect(() => environmentOf('web', rest)).toThrow(/SLACK_SIGNING_SECRET/);
  });
});

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const SCANNED = ['src', 'commands', 'actions', 'views', 'events', 'shortcuts', 'jobs'];
const LISTENERS = /^(commands|actions|views|events|shortcuts)\//;

/** Where each file belongs; the first layer whose pattern matches wins. A new folder is one line. */
const LAYERS: [name: string, pattern: RegExp][] = [
  ['composition', /^src\/(app|deps|server|main|process-guards)\.ts$/],
  ['domain', /^src\/domain\//],
  ['adapters', /^src\/adapters\//],
  ['slack-blocks', /^src\/slack\//],
  ['http', /^src\/http\//],
  ['core', /^src\/(config|logger|trace)\.ts$/],
  ['listeners', LISTENERS],
  ['job-contracts', /^jobs\/[^/]+\.job\.ts$/],
  ['jobs', /^jobs\//],
];

/** Everything in src/ but the composition root, which wires listeners and workers in. */
const SRC_BUT_ROOT = ['domain', 'adapters', 'slack-blocks', 'http', 'core'];

/** Arrows that must never exist: from a layer to a layer, or to an npm package. */
const FORBIDDEN: { from: string | string[]; to: string | RegExp; why: string }[] = [
  { from: SRC_BUT_ROOT, to: 'listeners', why: 'nothing in src/ imports a listener' },
  {
    from: SRC_BUT_ROOT,
    to: 'jobs',
    why: 'nothing in src/ imports a processor or a worker; producers share only the job contracts',
  },
  { from: 'domain', to: 'job-contracts', why: 'the domain queues work through ports' },
  {
    from: 'domain',
    to: /^(stripe|@slack\/|bullmq|ioredis|fastify|pino|node:http)/,
    why: 'the domain speaks plain values; SDKs live in adapters',
  },
  { from: 'domain', to: 'adapters', why: 'the domain calls ports, not their implementations' },
  { from: 'domain', to: 'slack-blocks', why: 'the domain writes no Slack' },
  { from: 'domain', to: 'http', why: 'the domain knows no HTTP' },
  { from: 'listeners', to: 'adapters', why: 'listeners reach Redis, Stripe and queues through domain services' },
  { from: 'listeners', to: 'jobs', why: 'listeners queue work through the domain' },
];

/** Layers that may import nothing but what is listed: layers by name, npm packages by pattern. */
const ONLY: { layer: string; may: (string | RegExp)[]; why: string }[] = [
  {
    layer: 'job-contracts',
    may: ['domain', 'job-contracts', /^zod$/],
    why: 'a job contract is shared by producer and processor: plain data, zod and domain types',
  },
];

function filesUnder(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(join(ROOT, dir));
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const path = `${dir}/${name}`;
    return statSync(join(ROOT, path)).isDirectory() ? filesUnder(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const layerOf = (file: string) => LAYERS.find(([, pattern]) => pattern.test(file))?.[0];

/** Every import and re-export of a file: relative ones resolved to repository paths, packages as written. */
function importsOf(file: string): string[] {
  const source = readFileSync(join(ROOT, file), 'utf8');
  const specifiers = [...source.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/gms)].map((m) => m[1]!);
  return specifiers.map((spec) =>
    spec.startsWith('.') ? relative(ROOT, normalize(join(ROOT, dirname(file), spec))).replace(/\.js$/, '.ts') : spec,
  );
}

const files = SCANNED.flatMap(filesUnder);
const graph = new Map(files.map((file) => [file, importsOf(file)]));

describe('layers', () => {
  it('when a file is added, then it belongs to a layer', () => {
    expect(files.filter((file) => !layerOf(file))).toEqual([]);
  });

  it('when a file imports another, then the arrow is one the architecture allows', () => {
    const violations: string[] = [];
    for (const [file, imports] of graph) {
      const from = layerOf(file);
      for (const target of imports) {
        const to = graph.has(target) ? layerOf(target) : undefined;
        const rule = FORBIDDEN.find(
          (r) =>
            [r.from].flat().includes(from!) &&
            (typeof r.to === 'string' ? r.to === to : !graph.has(target) && r.to.test(target)),
        );
        if (rule) violations.push(`${file} → ${target}: ${rule.why}`);
        const only = ONLY.find((r) => r.layer === from);
        if (
          only &&
          !only.may.some((allowed) =>
            typeof allowed === 'string' ? allowed === to : !graph.has(target) && allowed.test(target),
          )
        )
          violations.push(`${file} → ${target}: ${only.why}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('when the imports are followed, then they never come back to where they started', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const walk = (file: string, path: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...path.slice(path.indexOf(file)), file].join(' → '));
        return;
      }
      state.set(file, 'open');
      for (const target of graph.get(file) ?? []) if (graph.has(target)) walk(target, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of graph.keys()) walk(file, []);
    expect(cycles).toEqual([]);
  });

  it('when the rules are checked, then they see the code: the scan finds every layer and the domain’s imports', () => {
    const seen = new Set(files.map(layerOf));
    for (const [layer] of LAYERS) expect(seen).toContain(layer);
    expect(graph.get('src/domain/payments.ts')).toContain('src/domain/ports.ts');
    expect(graph.get('src/adapters/queue/queues.ts')).toContain('jobs/payment.job.ts');
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildSubcommands } from '../../commands/index.js';
import { FILE_DOWNLOAD_SCOPE, SCOPE_OF_METHOD } from '../../emulators/slack/scopes.js';
import type { CommandDeps } from '../../src/deps.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BOLT_ENDPOINT = '/slack/events';

interface Manifest {
  display_information: { name: string; description?: string };
  features: {
    bot_user?: { display_name: string };
    slash_commands?: {
      command: string;
      url?: string;
      description: string;
      usage_hint?: string;
      should_escape?: boolean;
    }[];
  };
  oauth_config: { scopes: { bot?: string[]; user?: string[] } };
  settings: {
    interactivity?: { is_enabled: boolean; request_url?: string; message_menu_options_url?: string };
    event_subscriptions?: { request_url?: string; bot_events?: string[] };
    socket_mode_enabled?: boolean;
    org_deploy_enabled?: boolean;
  };
}

const manifestText = readFileSync(join(ROOT, 'manifest.yml'), 'utf8');
const manifest = parse(manifestText) as Manifest;
const payout = manifest.features.slash_commands?.find((c) => c.command === '/payout');

/** The Web API methods' scopes (Slack's facts, shared with the fake Slack), and the WebClient's upload helpers. */
const SCOPE_OF_CALL: Record<string, string | null> = {
  ...SCOPE_OF_METHOD,
  'files.uploadV2': 'files:write',
  filesUploadV2: 'files:write',
};

/**
 * Scopes that code needs without calling a Web API method: the files people attach in a file_input reach the bot
 * only as url_private(_download) links, which it fetches with its token (files:read).
 */
const SCOPE_OF_CODE: { pattern: RegExp; what: string; scope: string }[] = [
  { pattern: /type: 'file_input'/, what: 'a file_input element', scope: FILE_DOWNLOAD_SCOPE },
  { pattern: /\burl_private(?:_download)?\b/, what: 'a url_private download', scope: FILE_DOWNLOAD_SCOPE },
];

/** Scopes no Web API call needs but a manifest feature does. */
const SCOPES_FOR_FEATURES: Record<string, string> = { commands: 'the /payout slash command' };

const SOURCE_DIRS = ['src', 'commands', 'actions', 'views', 'events', 'shortcuts', 'jobs'];
const CALL = /\.(chat|conversations|views|users|usergroups|files|auth)\.(\w+(?:\.\w+)?)\(/g;
const UPLOAD_V2 = /\bfilesUploadV2\(/g;
const API_CALL = /\.apiCall\(\s*['"`]([\w.]+)['"`]/g;
const EVENT_LISTENER = /\bapp\.event\(\s*['"`](\w+)['"`]/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Source lines without line and doc comments, so a comment that names a method is not a call. */
function codeLines(file: string): { line: string; at: string }[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line, index) => ({ line, at: `${relative(ROOT, file)}:${index + 1}` }))
    .filter(({ line }) => !/^\s*(\/\/|\/\*|\*)/.test(line));
}

/** Web API method → where the code calls it. */
function webApiCalls(): Map<string, string[]> {
  const calls = new Map<string, string[]>();
  const add = (method: string, at: string) => calls.set(method, [...(calls.get(method) ?? []), at]);
  for (const file of SOURCE_DIRS.flatMap(sourceFiles)) {
    for (const { line, at } of codeLines(file)) {
      for (const match of line.matchAll(CALL)) add(`${match[1]}.${match[2]}`, at);
      for (const _ of line.matchAll(UPLOAD_V2)) add('filesUploadV2', at);
      for (const match of line.matchAll(API_CALL)) add(match[1]!, at);
    }
  }
  return calls;
}

function eventListeners(): Set<string> {
  const events = new Set<string>();
  for (const file of SOURCE_DIRS.flatMap(sourceFiles)) {
    for (const { line } of codeLines(file)) for (const match of line.matchAll(EVENT_LISTENER)) events.add(match[1]!);
  }
  return events;
}

/** What in the code needs a scope without a Web API call → where. */
function scopedCode(): Map<string, { scope: string; at: string[] }> {
  const found = new Map<string, { scope: string; at: string[] }>();
  for (const file of SOURCE_DIRS.flatMap(sourceFiles)) {
    for (const { line, at } of codeLines(file)) {
      for (const { pattern, what, scope } of SCOPE_OF_CODE) {
        if (pattern.test(line)) found.set(what, { scope, at: [...(found.get(what)?.at ?? []), at] });
      }
    }
  }
  return found;
}

const calls = webApiCalls();
const codeNeeds = scopedCode();
const neededScopes = new Map<string, string[]>(); // scope → the methods and code that need it
const need = (scope: string, what: string) => neededScopes.set(scope, [...(neededScopes.get(scope) ?? []), what]);
for (const method of calls.keys()) {
  const scope = SCOPE_OF_CALL[method];
  if (scope) need(scope, method);
}
for (const [what, { scope, at }] of codeNeeds) need(scope, `${what} (${at.join(', ')})`);
const botScopes = manifest.oauth_config.scopes.bot ?? [];

/** The factories only close over deps; building them reads nothing from it. */
const subcommandNames = buildSubcommands({} as CommandDeps).map((c) => c.name);

/** The `/payout` block of the outside contract (CONTRACT.md), including what the code does not handle yet. */
const CONTRACT_SUBCOMMANDS = [
  'help',
  'invite',
  'sellers',
  'status',
  'topup',
  'transfer',
  'balance',
  'audit',
  'schedule',
  'schedules',
  'plan',
  'run',
];

/** The subcommands the hint names: the first word of each `|`-separated alternative. */
const hintedSubcommands = () =>
  new Set((payout?.usage_hint ?? '').split('|').map((alternative) => alternative.trim().split(/\s+/)[0]));

describe('the Slack app manifest', () => {
  it('describes Payout Ops with a bot user, within Slack’s length limits', () => {
    expect(manifest.display_information.name).toBe('Payout Ops');
    expect(manifest.display_information.name.length).toBeLessThanOrEqual(35);
    expect((manifest.display_information.description ?? '').length).toBeLessThanOrEqual(140);
    expect(manifest.features.bot_user?.display_name).toMatch(/^[a-z0-9._-]{1,80}$/);
    expect((payout?.usage_hint ?? '').length).toBeLessThanOrEqual(1000);
  });

  it('has /payout as its one slash command, escaping mentions and posting to Bolt’s endpoint', () => {
    expect(manifest.features.slash_commands).toHaveLength(1);
    expect(payout).toBeDefined();
    expect(payout!.should_escape).toBe(true);
    expect(payout!.description.trim()).not.toBe('');
    expect(new URL(payout!.url ?? '').protocol).toBe('https:');
    expect(new URL(payout!.url ?? '').pathname).toBe(BOLT_ENDPOINT);
  });

  it('turns interactivity on at the same URL, external-select options included', () => {
    expect(manifest.settings.interactivity?.is_enabled).toBe(true);
    expect(manifest.settings.interactivity?.request_url).toBe(payout?.url);
    expect(manifest.settings.interactivity?.message_menu_options_url).toBe(payout?.url);
  });

  it('leaves Socket Mode off and says to turn it on with SLACK_APP_TOKEN', () => {
    expect(manifest.settings.socket_mode_enabled).toBe(false);
    expect(manifestText).toMatch(/#.*SLACK_APP_TOKEN[^\n]*\n\s*socket_mode_enabled:/);
  });

  it('subscribes to exactly the events the code listens for', () => {
    const listened = [...eventListeners()].sort();
    const subscribed = [...(manifest.settings.event_subscriptions?.bot_events ?? [])].sort();
    expect(subscribed, 'settings.event_subscriptions.bot_events must match the app.event(...) listeners').toEqual(
      listened,
    );
    if (listened.length === 0) expect(manifest.settings.event_subscriptions).toBeUndefined();
  });
});

describe('the usage hint', () => {
  it('every subcommand the code handles is in the manifest’s usage hint', () => {
    expect(subcommandNames.length).toBeGreaterThan(0);
    const missing = subcommandNames.filter((name) => !hintedSubcommands().has(name));
    expect(missing, `add these subcommands to /payout's usage_hint in manifest.yml`).toEqual([]);
  });

  it('every subcommand of the contract is in the usage hint, handled yet or not', () => {
    const missing = CONTRACT_SUBCOMMANDS.filter((name) => !hintedSubcommands().has(name));
    expect(missing).toEqual([]);
  });
});

describe('the bot scopes', () => {
  it('the scan sees the Web API calls the code is known to make', () => {
    expect([...calls.keys()]).toEqual(
      expect.arrayContaining(['chat.postMessage', 'chat.update', 'conversations.open']),
    );
  });

  it('every Web API method the code calls has a known scope', () => {
    const unknown = [...calls].filter(([method]) => !(method in SCOPE_OF_CALL));
    const message = unknown
      .map(
        ([method, at]) =>
          `${method} (called at ${at.join(', ')}) has no entry in SCOPE_OF_METHOD (emulators/slack/scopes.ts): look up its bot scope at https://api.slack.com/methods/${method}, add it there and to manifest.yml`,
      )
      .join('\n');
    expect(
      unknown.map(([method]) => method),
      message,
    ).toEqual([]);
  });

  it('when the code has a file_input or downloads a url_private, then files:read is needed and asked for', () => {
    expect([...codeNeeds.keys()].sort()).toEqual(['a file_input element', 'a url_private download']);
    expect(neededScopes.get(FILE_DOWNLOAD_SCOPE)).toBeDefined();
    expect(
      botScopes,
      'the bot downloads the files people attach with its token: add files:read to manifest.yml',
    ).toContain(FILE_DOWNLOAD_SCOPE);
  });

  it('the manifest asks for every scope the code’s calls need', () => {
    const missing = [...neededScopes].filter(([scope]) => !botScopes.includes(scope));
    const message = missing
      .map(
        ([scope, methods]) =>
          `${methods.join(', ')} need(s) ${scope}: add it to oauth_config.scopes.bot in manifest.yml`,
      )
      .join('\n');
    expect(
      missing.map(([scope]) => scope),
      message,
    ).toEqual([]);
  });

  it('the manifest asks for no scope that neither a call nor a feature needs', () => {
    const unused = botScopes.filter((scope) => !neededScopes.has(scope) && !(scope in SCOPES_FOR_FEATURES));
    expect(
      unused,
      'no code calls a method needing these scopes: remove them from manifest.yml (least privilege)',
    ).toEqual([]);
    for (const scope of Object.keys(SCOPES_FOR_FEATURES)) expect(botScopes).toContain(scope);
    expect(manifest.oauth_config.scopes.user ?? []).toEqual([]);
  });
});

import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/**
 * The bot scope each Web API method needs (null: none, e.g. views.* only need a trigger id).
 * From the "Scopes / Bot token" fact of https://api.slack.com/methods/<method>. Methods are listed one by one
 * rather than by family because families differ inside: files.info needs files:read, users.lookupByEmail
 * needs users:read.email, chat.getPermalink needs nothing. The fake Slack refuses a call whose scope its token
 * lacks; test/unit/manifest.test.ts checks manifest.yml asks for every scope the code's calls need.
 */
export const SCOPE_OF_METHOD: Readonly<Record<string, string | null>> = {
  'chat.postMessage': 'chat:write',
  'chat.update': 'chat:write',
  'chat.postEphemeral': 'chat:write',
  'chat.delete': 'chat:write',
  'chat.scheduleMessage': 'chat:write',
  'conversations.open': 'im:write',
  'usergroups.users.list': 'usergroups:read',
  'users.info': 'users:read',
  'users.lookupByEmail': 'users:read.email',
  'views.open': null,
  'views.push': null,
  'views.update': null,
  'views.publish': null,
  'files.getUploadURLExternal': 'files:write',
  'files.completeUploadExternal': 'files:write',
  'chat.getPermalink': null,
  'auth.test': null,
};

/** Downloading a file's url_private(_download) with the bot token, e.g. what a person attached in a file_input. */
export const FILE_DOWNLOAD_SCOPE = 'files:read';

/** The bot scopes manifest.yml asks for: what an installed app's bot token is granted, in tests, the sandbox and the demo. */
export function manifestBotScopes(): string[] {
  const manifest = parse(readFileSync(new URL('../../manifest.yml', import.meta.url), 'utf8')) as {
    oauth_config?: { scopes?: { bot?: string[] } };
  };
  return manifest.oauth_config?.scopes?.bot ?? [];
}

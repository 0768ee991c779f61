import type { WebClient } from '@slack/web-api';
import type { Directory } from '../../domain/ports.js';

/** User groups read from Slack each time: a removal from the group takes effect at once. */
export function createSlackDirectory(client: WebClient): Directory {
  return {
    async membersOfGroup(groupId) {
      const reply = await client.usergroups.users.list({ usergroup: groupId });
      return reply.users ?? [];
    },
  };
}

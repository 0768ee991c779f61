import type { Directory } from './ports.js';

export type Role = 'requester' | 'approver';

/**
 * Who may do what. Lists hold user ids and user-group ids (S…); groups are resolved on every check,
 * so removing someone from a group takes effect at once.
 */
export interface AccessPolicy {
  has(userId: string, role: Role): Promise<boolean>;
  /** Requesters and approvers may read balances, sellers, status and the audit log. */
  isStaff(userId: string): Promise<boolean>;
}

export function createAccessPolicy(lists: Record<Role, readonly string[]>, directory: Directory): AccessPolicy {
  const has = async (userId: string, role: Role) => {
    const entries = lists[role];
    if (entries.includes(userId)) return true;
    for (const groupId of entries.filter((e) => e.startsWith('S'))) {
      if ((await directory.membersOfGroup(groupId)).includes(userId)) return true;
    }
    return false;
  };
  return {
    has,
    isStaff: async (userId) => (await has(userId, 'requester')) || (await has(userId, 'approver')),
  };
}

import type { MemberChange } from '@shared/members';
import type { Role } from '@shared/tenants';

/** The roles in plain words, as the Members page explains them. */
export const ROLE_WORDS: Record<Role, { label: string; description: string }> = {
  owner: { label: 'Owner', description: 'Everything an admin can do, and hands ownership on. Each domain has exactly one owner.' },
  admin: { label: 'Admin', description: 'Manages members and connectors, reads the audit log, and can clear the synced data.' },
  analyst: { label: 'Analyst', description: 'Asks questions, runs queries and syncs the data; sees connectors and members.' },
};

/** "Olive made Sam an admin (was analyst)." */
export function describeChange(change: MemberChange): string {
  const who = change.actor ?? 'Someone';
  const role = (r: Role | null) => (r ? ROLE_WORDS[r].label.toLowerCase() : '');
  switch (change.action) {
    case 'ownership_transferred':
      return `${who} handed ownership to ${change.member}.`;
    case 'role_changed':
      return `${who} made ${change.member} an ${role(change.to_role)} (was ${role(change.from_role)}).`;
    case 'removed':
      return `${who} removed ${change.member} (${role(change.from_role)}).`;
    case 'left':
      return `${change.member} left the domain.`;
    case 'owner_succeeded':
      return `${change.member} became the owner (was ${role(change.from_role)}): the domain's last owner no longer has access to it in Scout.`;
  }
}

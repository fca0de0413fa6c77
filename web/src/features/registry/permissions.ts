// Whether to offer the edit button. Only a hint for the UI: the server decides (policy_check),
// and refuses a crafted request whatever the page showed.
import type { Org } from '@/api/schema';

interface SessionLike {
  me: { org_ids: number[]; jurisdiction: string } | null;
  hasRole: (...r: string[]) => boolean;
}

export function canEditOrg(session: SessionLike, org: Org): boolean {
  if (!session.me) return false;
  if (session.hasRole('admin')) return true;
  if (session.hasRole('staff')) return !session.me.jurisdiction || session.me.jurisdiction === org.street_code;
  return session.hasRole('org_admin') && session.me.org_ids.includes(org.id);
}

/** Who may read the people of the registry (policy ACT_PERSON_READ). */
export const PEOPLE_READERS = ['admin', 'staff', 'org_admin', 'org_member', 'supervisor'];
/** Who may register and edit people (ACT_PERSON_WRITE; org_admin for their own organization). */
export const PEOPLE_WRITERS = ['admin', 'staff', 'org_admin'];

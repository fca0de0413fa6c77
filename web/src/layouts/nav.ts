// The parts of the product in the navigation. Only parts that exist are listed (no dead links):
// a later feature adds its entry here together with its pages.
import type { Component } from 'vue';
import { Document, House, OfficeBuilding, Setting, Upload, User, UserFilled } from '@element-plus/icons-vue';

/** Who may read the people of the registry (policy ACT_PERSON_READ). */
export const PEOPLE_READERS = ['admin', 'staff', 'org_admin', 'org_member', 'supervisor'];
/** Who may register and edit people (ACT_PERSON_WRITE; org_admin for their own organization). */
export const PEOPLE_WRITERS = ['admin', 'staff', 'org_admin'];

export interface NavItem {
  path: string;
  label: string; // i18n key
  icon: Component;
  roles?: string[]; // shown only to these roles (none: everyone signed in)
}

export const navItems: NavItem[] = [
  { path: '/', label: 'nav.home', icon: House },
  { path: '/orgs', label: 'nav.orgs', icon: OfficeBuilding },
  { path: '/people', label: 'nav.people', icon: UserFilled, roles: PEOPLE_READERS },
  { path: '/imports', label: 'nav.imports', icon: Upload, roles: ['admin', 'staff'] },
  { path: '/users', label: 'nav.users', icon: Setting, roles: ['admin'] },
  { path: '/audit', label: 'nav.audit', icon: Document, roles: ['admin', 'supervisor'] },
  { path: '/account', label: 'nav.account', icon: User },
];

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
  order?: number; // position in the menu (the registry's entries are 10, 20, ...)
}

const coreItems: NavItem[] = [
  { path: '/', label: 'nav.home', icon: House, order: 10 },
  { path: '/orgs', label: 'nav.orgs', icon: OfficeBuilding, order: 20 },
  { path: '/people', label: 'nav.people', icon: UserFilled, roles: PEOPLE_READERS, order: 30 },
  { path: '/imports', label: 'nav.imports', icon: Upload, roles: ['admin', 'staff'], order: 40 },
  { path: '/users', label: 'nav.users', icon: Setting, roles: ['admin'], order: 900 },
  { path: '/audit', label: 'nav.audit', icon: Document, roles: ['admin', 'supervisor'], order: 910 },
  { path: '/account', label: 'nav.account', icon: User, order: 990 },
];

// Product parts add their entries in features/<name>/routes.ts (`export const nav`).
const featureNav = import.meta.glob<{ nav?: NavItem[] }>('../features/*/routes.ts', { eager: true });

export const navItems: NavItem[] = [
  ...coreItems,
  ...Object.values(featureNav).flatMap((m) => m.nav ?? []),
].sort((a, b) => (a.order ?? 500) - (b.order ?? 500));

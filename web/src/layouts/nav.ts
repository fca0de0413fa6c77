// The side navigation: a few groups, one per line of the work, each holding the entries that the
// feature modules declare (features/<name>/routes.ts, `export const nav`). An entry names its group
// and the roles that see it; a group shows only when the signed-in user sees one of its entries,
// so each role sees only its groups and no group is ever empty. Only pages that exist are listed
// (no dead links): a later part adds its entries next to its pages, and a group that has none yet
// (协调与倡导, 监督评估) stays out of the menu until the first entry names it.
import type { Component } from 'vue';
import { Briefcase, ChatDotSquare, DataAnalysis, Files, OfficeBuilding, Scissor, Setting } from '@element-plus/icons-vue';

/** The groups of the menu, in menu order. Adding one is one line here and its name in i18n/*.ts. */
export const NAV_GROUPS = [
  { id: 'workbench', label: 'nav.group.workbench', icon: Briefcase }, // 工作台
  { id: 'registry', label: 'nav.group.registry', icon: OfficeBuilding }, // 组织名录
  { id: 'communication', label: 'nav.group.communication', icon: ChatDotSquare }, // 经常性沟通
  { id: 'resources', label: 'nav.group.resources', icon: Files }, // 资源整合
  { id: 'coordination', label: 'nav.group.coordination', icon: Scissor }, // 协调与倡导
  { id: 'supervision', label: 'nav.group.supervision', icon: DataAnalysis }, // 监督评估
  { id: 'system', label: 'nav.group.system', icon: Setting }, // 系统管理
] as const;

export type NavGroupId = (typeof NAV_GROUPS)[number]['id'];

export interface NavItem {
  path: string;
  label: string; // i18n key
  icon: Component;
  group: NavGroupId;
  roles?: string[]; // shown only to these roles (none: everyone signed in)
  order?: number; // position inside its group (smaller first)
}

export interface NavGroup {
  id: NavGroupId;
  label: string;
  icon: Component;
  items: NavItem[];
}

// Product parts declare their entries in features/<name>/routes.ts (`export const nav`).
const featureNav = import.meta.glob<{ nav?: NavItem[] }>('../features/*/routes.ts', { eager: true });

export const navItems: NavItem[] = Object.values(featureNav)
  .flatMap((m) => m.nav ?? [])
  .sort((a, b) => (a.order ?? 500) - (b.order ?? 500));

/** The groups a user with these roles sees, each with the entries they see, in menu order. */
export function navFor(hasRole: (...roles: string[]) => boolean): NavGroup[] {
  return NAV_GROUPS.map((g) => ({
    ...g,
    items: navItems.filter((i) => i.group === g.id && (!i.roles || hasRole(...i.roles))),
  })).filter((g) => g.items.length > 0);
}

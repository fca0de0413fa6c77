// The liaison pages and their menu entries.
import type { RouteRecordRaw } from 'vue-router';
import { AlarmClock, Connection, Stamp, Tickets } from '@element-plus/icons-vue';
import type { NavItem } from '@/layouts/nav';

export const LIAISON_READERS = ['admin', 'staff', 'liaison', 'supervisor'];
export const LIAISON_MANAGERS = ['admin', 'staff'];

export const routes: RouteRecordRaw[] = [
  { path: 'liaison', name: 'liaison-mine', component: () => import('./MyLiaisonPage.vue'), meta: { title: 'liaison.mine.title', roles: LIAISON_READERS } },
  { path: 'liaison/orgs/:id(\\d+)', name: 'liaison-org', component: () => import('./LiaisonOrgPage.vue'), meta: { title: 'liaison.org.title', roles: LIAISON_READERS } },
  { path: 'liaison/overdue', name: 'liaison-overdue', component: () => import('./OverduePage.vue'), meta: { title: 'liaison.overdue.title', roles: LIAISON_READERS } },
  { path: 'liaison/overdue/followups', name: 'liaison-overdue-followups', component: () => import('./OverdueFollowupsPage.vue'), meta: { title: 'liaison.overdue.title', roles: LIAISON_READERS } },
  { path: 'liaison/officers', name: 'liaison-officers', component: () => import('./OfficersPage.vue'), meta: { title: 'liaison.officers.title', roles: ['admin', 'staff', 'supervisor'] } },
  { path: 'liaison/rules', name: 'liaison-rules', component: () => import('./RulesPage.vue'), meta: { title: 'liaison.rules.title', roles: LIAISON_READERS } },
];

export const nav: NavItem[] = [
  { path: '/liaison', label: 'liaison.nav.mine', icon: Connection, group: 'communication', roles: ['liaison', 'staff'], order: 60 },
  { path: '/liaison/overdue', label: 'liaison.nav.overdue', icon: AlarmClock, group: 'communication', roles: LIAISON_READERS, order: 61 },
  { path: '/liaison/officers', label: 'liaison.nav.officers', icon: Tickets, group: 'communication', roles: ['admin', 'staff', 'supervisor'], order: 62 },
  { path: '/liaison/rules', label: 'liaison.nav.rules', icon: Stamp, group: 'communication', roles: LIAISON_READERS, order: 63 },
];

// The resource integration's pages: resources and needs lists (one page, two kinds), item
// detail and form, the talent pool, dockings. Picked up by router/index.ts and layouts/nav.ts.
import type { RouteRecordRaw } from 'vue-router';
import { Box, Connection, Collection, Avatar } from '@element-plus/icons-vue';
import type { NavItem } from '@/layouts/nav';

export const ITEM_WRITERS = ['admin', 'staff', 'org_admin'];
export const DOCKING_READERS = ['admin', 'staff', 'liaison', 'org_admin', 'org_member', 'supervisor', 'expert'];
/** staff keep the pool; an expert adds and edits their own entry */
export const TALENT_WRITERS = ['admin', 'staff', 'expert'];

const list = () => import('./ItemListPage.vue');
const detail = () => import('./ItemDetailPage.vue');
const form = () => import('./ItemFormPage.vue');
const talentForm = () => import('./TalentFormPage.vue');

export const routes: RouteRecordRaw[] = [
  { path: 'resources', name: 'resources', component: list, props: { kind: 'resource' }, meta: { title: 'res.resources' } },
  { path: 'needs', name: 'needs', component: list, props: { kind: 'need' }, meta: { title: 'res.needs' } },
  { path: 'resources/new', name: 'resource-new', component: form, props: { kind: 'resource' }, meta: { title: 'res.newResource', roles: ITEM_WRITERS } },
  { path: 'needs/new', name: 'need-new', component: form, props: { kind: 'need' }, meta: { title: 'res.newNeed', roles: ITEM_WRITERS } },
  { path: 'resources/:id(\\d+)', name: 'resource', component: detail, props: { kind: 'resource' }, meta: { title: 'res.resource' } },
  { path: 'needs/:id(\\d+)', name: 'need', component: detail, props: { kind: 'need' }, meta: { title: 'res.need' } },
  { path: 'resources/:id(\\d+)/edit', name: 'resource-edit', component: form, props: { kind: 'resource' }, meta: { title: 'res.edit', roles: ITEM_WRITERS } },
  { path: 'needs/:id(\\d+)/edit', name: 'need-edit', component: form, props: { kind: 'need' }, meta: { title: 'res.edit', roles: ITEM_WRITERS } },
  { path: 'talents', name: 'talents', component: () => import('./TalentListPage.vue'), meta: { title: 'res.talents' } },
  { path: 'talents/new', name: 'talent-new', component: talentForm, meta: { title: 'res.t.new', roles: TALENT_WRITERS } },
  { path: 'talents/:id(\\d+)', name: 'talent', component: () => import('./TalentDetailPage.vue'), meta: { title: 'res.t.detail' } },
  { path: 'talents/:id(\\d+)/edit', name: 'talent-edit', component: talentForm, meta: { title: 'res.t.edit', roles: TALENT_WRITERS } },
  { path: 'dockings', name: 'dockings', component: () => import('./DockingListPage.vue'), meta: { title: 'res.dockings', roles: DOCKING_READERS } },
  { path: 'dockings/:id(\\d+)', name: 'docking', component: () => import('./DockingDetailPage.vue'), meta: { title: 'res.docking', roles: DOCKING_READERS } },
];

export const nav: NavItem[] = [
  { path: '/resources', label: 'res.resources', icon: Box, group: 'resources', order: 10 },
  { path: '/needs', label: 'res.needs', icon: Collection, group: 'resources', order: 20 },
  { path: '/talents', label: 'res.talents', icon: Avatar, group: 'resources', order: 30 },
  { path: '/dockings', label: 'res.dockings', icon: Connection, group: 'resources', roles: DOCKING_READERS, order: 40 },
];

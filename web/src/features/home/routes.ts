// The home page (the registry in figures) and the page for an address that has none.
import type { RouteRecordRaw } from 'vue-router';
import { House } from '@element-plus/icons-vue';
import type { NavItem } from '@/layouts/nav';

export const routes: RouteRecordRaw[] = [
  { path: '', name: 'home', component: () => import('./HomePage.vue'), meta: { title: 'home.title' } },
  // matched last whatever its place (vue-router ranks a catch-all below every other path)
  { path: ':rest(.*)*', name: 'not-found', component: () => import('./NotFoundPage.vue'), meta: { title: 'notFound.title' } },
];

export const nav: NavItem[] = [{ path: '/', label: 'nav.home', icon: House, group: 'workbench', order: 10 }];

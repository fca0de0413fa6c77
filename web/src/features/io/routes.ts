// Import and export (导入): the CSV import wizard for organizations.
import type { RouteRecordRaw } from 'vue-router';
import { Upload } from '@element-plus/icons-vue';
import type { NavItem } from '@/layouts/nav';

const IMPORTERS = ['admin', 'staff'];

export const routes: RouteRecordRaw[] = [
  { path: 'imports', name: 'imports', component: () => import('./ImportPage.vue'), meta: { title: 'imports.title', roles: IMPORTERS } },
];

export const nav: NavItem[] = [{ path: '/imports', label: 'nav.imports', icon: Upload, group: 'registry', roles: IMPORTERS, order: 30 }];

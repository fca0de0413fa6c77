// The audit trail (审计): every change, hash-chained; for administrators and supervisors.
import type { RouteRecordRaw } from 'vue-router';
import { Document } from '@element-plus/icons-vue';
import type { NavItem } from '@/layouts/nav';

const AUDIT_READERS = ['admin', 'supervisor'];

export const routes: RouteRecordRaw[] = [
  { path: 'audit', name: 'audit', component: () => import('./AuditPage.vue'), meta: { title: 'audit.title', roles: AUDIT_READERS } },
];

export const nav: NavItem[] = [{ path: '/audit', label: 'nav.audit', icon: Document, group: 'system', roles: AUDIT_READERS, order: 20 }];

// Notifications: my list (all signed-in users) and delivery settings (administrators; staff
// manage group robots).
import type { RouteRecordRaw } from 'vue-router';
import { Bell, Promotion } from '@element-plus/icons-vue';
import type { NavItem } from '@/layouts/nav';

export const routes: RouteRecordRaw[] = [
  {
    path: 'notifications',
    name: 'notifications',
    component: () => import('./NotificationsPage.vue'),
    meta: { title: 'notify.title' },
  },
  {
    path: 'notify/settings',
    name: 'notify-settings',
    component: () => import('./NotifyAdminPage.vue'),
    meta: { title: 'notify.adminTitle', roles: ['admin', 'staff'] },
  },
];

export const nav: NavItem[] = [
  { path: '/notifications', label: 'notify.title', icon: Bell, order: 980 },
  { path: '/notify/settings', label: 'notify.adminTitle', icon: Promotion, roles: ['admin', 'staff'], order: 920 },
];

// Notifications: my list (all signed-in users) and delivery settings (administrators; staff
// and organization administrators manage the group robots of their jurisdiction / own
// organization).
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
    meta: { title: 'notify.adminTitle', roles: ['admin', 'staff', 'org_admin'] },
  },
];

export const nav: NavItem[] = [
  { path: '/notifications', label: 'notify.title', icon: Bell, group: 'workbench', order: 20 },
  { path: '/notify/settings', label: 'notify.adminTitle', icon: Promotion, group: 'system', roles: ['admin', 'staff', 'org_admin'], order: 30 },
];

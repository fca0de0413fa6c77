// Announcements (通知公告): the sender's list and the organization inbox, composing, and the
// detail page with read receipts.
import type { RouteRecordRaw } from 'vue-router';
import { Bell } from '@element-plus/icons-vue';
import type { NavItem } from '@/layouts/nav';

const SENDERS = ['admin', 'staff'];

export const routes: RouteRecordRaw[] = [
  { path: 'announcements', name: 'announcements', component: () => import('./AnnouncementListPage.vue'), meta: { title: 'announce.title' } },
  { path: 'announcements/new', name: 'announcement-new', component: () => import('./AnnouncementComposePage.vue'), meta: { title: 'announce.compose', roles: SENDERS } },
  { path: 'announcements/:id(\\d+)', name: 'announcement', component: () => import('./AnnouncementDetailPage.vue'), meta: { title: 'announce.detail' } },
];

export const nav: NavItem[] = [{ path: '/announcements', label: 'announce.nav', icon: Bell, group: 'communication', order: 10 }];

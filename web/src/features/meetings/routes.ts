// The meetings part: list and calendar, create/edit, detail with occurrences and invitations,
// one occurrence (agenda, minutes, action items, check-in QR), the QR check-in page, action items.
import type { RouteRecordRaw } from 'vue-router';
import { Calendar, Finished } from '@element-plus/icons-vue';
import type { NavItem } from '@/layouts/nav';
import { MANAGERS } from './api';

export const routes: RouteRecordRaw[] = [
  { path: 'meetings', name: 'meetings', component: () => import('./MeetingListPage.vue'), meta: { title: 'meetings.title' } },
  { path: 'meetings/new', name: 'meeting-new', component: () => import('./MeetingFormPage.vue'), meta: { title: 'meetings.form.createTitle', roles: MANAGERS } },
  { path: 'meetings/:id(\\d+)', name: 'meeting', component: () => import('./MeetingDetailPage.vue'), meta: { title: 'meetings.detail.title' } },
  { path: 'meetings/:id(\\d+)/edit', name: 'meeting-edit', component: () => import('./MeetingFormPage.vue'), meta: { title: 'meetings.form.editTitle', roles: MANAGERS } },
  { path: 'occurrences/:id(\\d+)', name: 'occurrence', component: () => import('./OccurrencePage.vue'), meta: { title: 'meetings.occ.title' } },
  { path: 'occurrences/:id(\\d+)/qr', name: 'occurrence-qr', component: () => import('./QrPrintPage.vue'), meta: { title: 'meetings.qr.title', roles: MANAGERS } },
  { path: 'checkin/:token([0-9a-f]{1,64})', name: 'checkin', component: () => import('./CheckinPage.vue'), meta: { title: 'meetings.checkin.title' } },
  { path: 'meeting-actions', name: 'meeting-actions', component: () => import('./ActionsPage.vue'), meta: { title: 'meetings.actions.title' } },
];

export const nav: NavItem[] = [
  { path: '/meetings', label: 'meetings.nav', icon: Calendar, group: 'communication', order: 40 },
  { path: '/meeting-actions', label: 'meetings.actions.nav', icon: Finished, group: 'communication', order: 45 },
];

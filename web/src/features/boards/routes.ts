// Exchange boards (线上交流平台) and direct messages.
import type { RouteRecordRaw } from 'vue-router';
import { ChatDotRound, ChatLineSquare } from '@element-plus/icons-vue';
import type { NavItem } from '@/layouts/nav';

export const routes: RouteRecordRaw[] = [
  { path: 'boards', name: 'boards', component: () => import('./BoardListPage.vue'), meta: { title: 'boards.title' } },
  { path: 'boards/search', name: 'board-search', component: () => import('./BoardSearchPage.vue'), meta: { title: 'boards.search' } },
  { path: 'boards/:id(\\d+)', name: 'board', component: () => import('./BoardPage.vue'), meta: { title: 'boards.board' } },
  { path: 'boards/threads/:id(\\d+)', name: 'thread', component: () => import('./ThreadPage.vue'), meta: { title: 'boards.thread' } },
  { path: 'messages', name: 'messages', component: () => import('./MessagesPage.vue'), meta: { title: 'boards.messages' } },
  { path: 'messages/:id(\\d+)', name: 'conversation', component: () => import('./MessagesPage.vue'), meta: { title: 'boards.messages' } },
];

export const nav: NavItem[] = [
  { path: '/boards', label: 'boards.nav', icon: ChatLineSquare, group: 'communication', order: 20 },
  { path: '/messages', label: 'boards.messagesNav', icon: ChatDotRound, group: 'communication', order: 30 },
];

// Accounts: signing in, my account (password, second factor, API tokens) and, for
// administrators, the users and their roles.
import type { RouteRecordRaw } from 'vue-router';
import { Setting, User } from '@element-plus/icons-vue';
import type { NavItem } from '@/layouts/nav';

const userForm = () => import('./UserFormPage.vue');

/** Pages outside the application shell, open to anonymous visitors. */
export const publicRoutes: RouteRecordRaw[] = [
  { path: '/sign-in', name: 'sign-in', component: () => import('./SignInPage.vue'), meta: { public: true, title: 'signIn.title' } },
];

export const routes: RouteRecordRaw[] = [
  { path: 'users', name: 'users', component: () => import('./UsersPage.vue'), meta: { title: 'users.title', roles: ['admin'] } },
  { path: 'users/new', name: 'user-new', component: userForm, meta: { title: 'users.createTitle', roles: ['admin'] } },
  { path: 'users/:id(\\d+)', name: 'user', component: userForm, meta: { title: 'users.editTitle', roles: ['admin'] } },
  { path: 'account', name: 'account', component: () => import('./AccountPage.vue'), meta: { title: 'account.title' } },
];

export const nav: NavItem[] = [
  { path: '/account', label: 'nav.account', icon: User, group: 'workbench', order: 90 },
  { path: '/users', label: 'nav.users', icon: Setting, group: 'system', roles: ['admin'], order: 10 },
];

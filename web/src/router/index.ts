// Routes. Every page is its own chunk (dynamic import), so the sign-in page loads only itself.
// A page that needs sign-in sends an anonymous visitor to /sign-in?redirect=<where they wanted>.
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { onUnauthenticated } from '@/api/client';
import { i18n } from '@/i18n';
import { PEOPLE_READERS, PEOPLE_WRITERS } from '@/layouts/nav';
import { useSession } from '@/stores/session';

declare module 'vue-router' {
  interface RouteMeta {
    title?: string; // i18n key of the page title
    public?: boolean;
    roles?: string[]; // any of these roles may open the page (none: every signed-in user)
  }
}

// Product parts add their pages in features/<name>/routes.ts (`export const routes`).
const featureRoutes = import.meta.glob<{ routes: RouteRecordRaw[] }>('../features/*/routes.ts', {
  eager: true,
});
const featurePages = Object.values(featureRoutes).flatMap((m) => m.routes);

const routes: RouteRecordRaw[] = [
  {
    path: '/sign-in',
    name: 'sign-in',
    component: () => import('@/views/SignInPage.vue'),
    meta: { public: true, title: 'signIn.title' },
  },
  {
    path: '/',
    component: () => import('@/layouts/AppShell.vue'),
    children: [
      { path: '', name: 'home', component: () => import('@/views/HomePage.vue'), meta: { title: 'home.title' } },
      { path: 'orgs', name: 'orgs', component: () => import('@/views/OrgListPage.vue'), meta: { title: 'orgs.title' } },
      {
        path: 'orgs/new',
        name: 'org-new',
        component: () => import('@/views/OrgFormPage.vue'),
        meta: { title: 'orgForm.createTitle', roles: ['admin', 'staff'] },
      },
      {
        path: 'orgs/:id(\\d+)',
        name: 'org',
        component: () => import('@/views/OrgDetailPage.vue'),
        meta: { title: 'org.title' },
      },
      {
        path: 'orgs/:id(\\d+)/edit',
        name: 'org-edit',
        component: () => import('@/views/OrgFormPage.vue'),
        meta: { title: 'org.edit' },
      },
      { path: 'people', name: 'people', component: () => import('@/views/PeopleListPage.vue'), meta: { title: 'people.title', roles: PEOPLE_READERS } },
      {
        path: 'people/new',
        name: 'person-new',
        component: () => import('@/views/PersonFormPage.vue'),
        meta: { title: 'person.createTitle', roles: PEOPLE_WRITERS },
      },
      {
        path: 'people/:id(\\d+)',
        name: 'person',
        component: () => import('@/views/PersonDetailPage.vue'),
        meta: { title: 'person.title', roles: PEOPLE_READERS },
      },
      {
        path: 'people/:id(\\d+)/edit',
        name: 'person-edit',
        component: () => import('@/views/PersonFormPage.vue'),
        meta: { title: 'person.editTitle', roles: PEOPLE_WRITERS },
      },
      { path: 'imports', name: 'imports', component: () => import('@/views/ImportPage.vue'), meta: { title: 'imports.title', roles: ['admin', 'staff'] } },
      { path: 'users', name: 'users', component: () => import('@/views/UsersPage.vue'), meta: { title: 'users.title', roles: ['admin'] } },
      { path: 'users/new', name: 'user-new', component: () => import('@/views/UserFormPage.vue'), meta: { title: 'users.createTitle', roles: ['admin'] } },
      {
        path: 'users/:id(\\d+)',
        name: 'user',
        component: () => import('@/views/UserFormPage.vue'),
        meta: { title: 'users.editTitle', roles: ['admin'] },
      },
      { path: 'audit', name: 'audit', component: () => import('@/views/AuditPage.vue'), meta: { title: 'audit.title', roles: ['admin', 'supervisor'] } },
      { path: 'account', name: 'account', component: () => import('@/views/AccountPage.vue'), meta: { title: 'account.title' } },
      ...featurePages,
      { path: ':rest(.*)*', name: 'not-found', component: () => import('@/views/NotFoundPage.vue'), meta: { title: 'notFound.title' } },
    ],
  },
];

export const router = createRouter({
  history: createWebHistory(),
  routes,
  scrollBehavior: (_to, _from, saved) => saved || { top: 0 },
});

router.beforeEach(async (to) => {
  if (to.meta.public) return true;
  const session = useSession();
  await session.load();
  if (!session.me) return { name: 'sign-in', query: { redirect: to.fullPath } };
  // after an administrator's reset the server allows nothing but choosing a new password
  if (session.me.must_change_password && to.name !== 'account') return { name: 'account' };
  if (to.meta.roles && !session.hasRole(...to.meta.roles)) return { name: 'home' };
  return true;
});

router.afterEach((to) => {
  const t = i18n.global.t;
  const page = to.meta.title ? t(to.meta.title) : '';
  document.title = page ? `${page} - ${t('app.titleSuffix')}` : t('app.titleSuffix');
});

// Any API call that finds the session gone brings the user back to sign-in, then to this page.
onUnauthenticated(() => {
  useSession().forget();
  const here = router.currentRoute.value;
  if (here.name !== 'sign-in') {
    router.push({ name: 'sign-in', query: { redirect: here.fullPath, expired: '1' } });
  }
});

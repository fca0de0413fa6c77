// Routes. Every page is its own chunk (dynamic import), so the sign-in page loads only itself.
// A page that needs sign-in sends an anonymous visitor to /sign-in?redirect=<where they wanted>.
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { onUnauthenticated } from '@/api/client';
import { i18n } from '@/i18n';
import { useSession } from '@/stores/session';

declare module 'vue-router' {
  interface RouteMeta {
    title?: string; // i18n key of the page title
    public?: boolean;
    roles?: string[]; // any of these roles may open the page (none: every signed-in user)
  }
}

// Every part of the product adds its pages in features/<name>/routes.ts: `routes` are children of
// the application shell, `publicRoutes` (the sign-in page) stand outside it.
const features = import.meta.glob<{ routes: RouteRecordRaw[]; publicRoutes?: RouteRecordRaw[] }>(
  '../features/*/routes.ts',
  { eager: true },
);
const modules = Object.values(features);

const routes: RouteRecordRaw[] = [
  ...modules.flatMap((m) => m.publicRoutes ?? []),
  {
    path: '/',
    component: () => import('@/layouts/AppShell.vue'),
    children: modules.flatMap((m) => m.routes),
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

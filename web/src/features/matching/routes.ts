// The matching pages for staff: global allocation runs and the weights of the score.
// (The suggestions panel lives on the resources item detail page: SuggestionsPanel.vue.)
import type { RouteRecordRaw } from 'vue-router';
import { Share, Operation } from '@element-plus/icons-vue';
import type { NavItem } from '@/layouts/nav';

export const MATCH_STAFF = ['admin', 'staff'];

export const routes: RouteRecordRaw[] = [
  { path: 'matching/runs', name: 'matching-runs', component: () => import('./RunsPage.vue'), meta: { title: 'match.runs', roles: MATCH_STAFF } },
  { path: 'matching/runs/:id(\\d+)', name: 'matching-run', component: () => import('./RunDetailPage.vue'), meta: { title: 'match.runs', roles: MATCH_STAFF } },
  { path: 'matching/weights', name: 'matching-weights', component: () => import('./WeightsPage.vue'), meta: { title: 'match.weights', roles: MATCH_STAFF } },
];

export const nav: NavItem[] = [
  { path: '/matching/runs', label: 'match.nav', icon: Share, group: 'resources', roles: MATCH_STAFF, order: 50 },
  { path: '/matching/weights', label: 'match.weightsNav', icon: Operation, group: 'resources', roles: MATCH_STAFF, order: 60 },
];

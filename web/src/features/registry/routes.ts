// The registry (组织名录): organizations and people, their lists, detail pages and forms.
import type { RouteRecordRaw } from 'vue-router';
import { OfficeBuilding, UserFilled } from '@element-plus/icons-vue';
import type { NavItem } from '@/layouts/nav';
import { PEOPLE_READERS, PEOPLE_WRITERS } from './permissions';

const ORG_WRITERS = ['admin', 'staff'];
const orgForm = () => import('./OrgFormPage.vue');
const personForm = () => import('./PersonFormPage.vue');

export const routes: RouteRecordRaw[] = [
  { path: 'orgs', name: 'orgs', component: () => import('./OrgListPage.vue'), meta: { title: 'orgs.title' } },
  { path: 'orgs/new', name: 'org-new', component: orgForm, meta: { title: 'orgForm.createTitle', roles: ORG_WRITERS } },
  { path: 'orgs/:id(\\d+)', name: 'org', component: () => import('./OrgDetailPage.vue'), meta: { title: 'org.title' } },
  { path: 'orgs/:id(\\d+)/edit', name: 'org-edit', component: orgForm, meta: { title: 'org.edit' } },
  { path: 'people', name: 'people', component: () => import('./PeopleListPage.vue'), meta: { title: 'people.title', roles: PEOPLE_READERS } },
  { path: 'people/new', name: 'person-new', component: personForm, meta: { title: 'person.createTitle', roles: PEOPLE_WRITERS } },
  { path: 'people/:id(\\d+)', name: 'person', component: () => import('./PersonDetailPage.vue'), meta: { title: 'person.title', roles: PEOPLE_READERS } },
  { path: 'people/:id(\\d+)/edit', name: 'person-edit', component: personForm, meta: { title: 'person.editTitle', roles: PEOPLE_WRITERS } },
];

export const nav: NavItem[] = [
  { path: '/orgs', label: 'nav.orgs', icon: OfficeBuilding, group: 'registry', order: 10 },
  { path: '/people', label: 'nav.people', icon: UserFilled, group: 'registry', roles: PEOPLE_READERS, order: 20 },
];

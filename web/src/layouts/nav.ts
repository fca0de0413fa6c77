// The parts of the product in the navigation. Only parts that exist are listed (no dead links):
// a later feature adds its entry here together with its pages.
import type { Component } from 'vue';
import { House, OfficeBuilding, User } from '@element-plus/icons-vue';

export interface NavItem {
  path: string;
  label: string; // i18n key
  icon: Component;
  roles?: string[]; // shown only to these roles (none: everyone signed in)
}

export const navItems: NavItem[] = [
  { path: '/', label: 'nav.home', icon: House },
  { path: '/orgs', label: 'nav.orgs', icon: OfficeBuilding },
  { path: '/account', label: 'nav.account', icon: User },
];

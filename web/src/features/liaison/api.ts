// The liaison API's shapes (docs/openapi/liaison.json) and small helpers of the pages.
import { api } from '@/api/client';

export interface Assignment {
  id: number;
  user_id: number;
  display_name: string;
  role: 'primary' | 'deputy';
  start_on: string;
  end_on: string | null;
  active: boolean;
}
export interface Followup {
  id: number;
  org_id: number;
  org_name: string;
  description: string;
  due_on: string;
  owner_id: number;
  owner_name: string;
  overdue?: boolean;
  status?: string;
  close_note?: string | null;
}
export interface LiaisonOrg {
  org_id: number;
  org_name: string;
  under_liaison: boolean;
  is_key: boolean;
  interval_days: number | null;
  last_contact_on: string | null;
  due_on: string | null;
  overdue: boolean;
  rule?: { id: number; name: string };
  officers: Assignment[];
  open_followups: Followup[];
  may_write: boolean;
  may_assign: boolean;
}
export interface Contact {
  id: number;
  kind: string;
  contact_on: string;
  summary_html: string;
  issues: string | null;
  issues_html: string | null;
  officer_name: string | null;
  followups: Followup[];
}
export interface Workload {
  user_id: number;
  display_name: string;
  jurisdiction: string;
  organizations: number;
  contacts_this_month: number;
  contacts_this_quarter: number;
  overdue_organizations: number;
  overdue_followups: number;
}
export interface OfficerView extends Workload {
  orgs: { org_id: number; org_name: string; role: string; last_contact_on: string | null; due_on: string | null; is_key: boolean; overdue: boolean }[];
  open_followups: Followup[];
}
export interface Rule {
  id: number;
  name: string;
  org_type: string | null;
  min_grade: string | null;
  key_only: boolean;
  interval_days: number;
  organizations: number;
}

export const KINDS = ['visit', 'call', 'meeting', 'online', 'other'] as const;
export const STAT_KEYS = ['organizations', 'contacts_this_month', 'contacts_this_quarter', 'overdue_organizations', 'overdue_followups'] as const;

export const put = <T>(path: string, body: unknown) => api<T>('PUT', path, body);

/** The district's date today (UTC+8), YYYY-MM-DD. */
export function today(): string {
  return new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
}

/** Whole days from `date` to today (positive when the date is past). */
export function daysSince(date: string): number {
  return Math.round((Date.parse(today()) - Date.parse(date)) / 86400e3);
}

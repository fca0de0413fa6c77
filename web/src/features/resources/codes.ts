// The code lists of resources, needs and dockings (the server's enums), and shared types.
export const CATEGORIES = ['funds', 'materials', 'venue', 'volunteers', 'expertise', 'information', 'training', 'equipment', 'other'];
export const UNITS = ['yuan', 'people', 'hours', 'm2', 'items'];
export const STATUSES = ['open', 'partly_matched', 'fulfilled', 'closed', 'expired'];
export const VISIBILITIES = ['public', 'district', 'staff'];
export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
export const DOCKING_STATUSES = ['proposed', 'accepted', 'in_progress', 'fulfilled', 'failed'];
/** Units that fit each category (the server checks the same). */
export const UNIT_FITS: Record<string, string[]> = {
  funds: ['yuan'], materials: ['items'], venue: ['m2', 'hours'], volunteers: ['people', 'hours'],
  expertise: ['hours', 'people'], information: ['items'], training: ['hours', 'people'], equipment: ['items', 'hours'], other: UNITS,
};
export type Kind = 'resource' | 'need';
export const other = (k: Kind): Kind => (k === 'need' ? 'resource' : 'need');
export const base = (k: Kind) => (k === 'need' ? '/api/v1/needs' : '/api/v1/resources');

export interface Item {
  id: number; kind: Kind; org_id: number; org_name: string; title: string; category: string; fields?: string[];
  quantity: number; remaining: number; unit: string; street_code: string; street_name?: string | null;
  community_code?: string | null; community_name?: string | null; lat?: number | null; lon?: number | null;
  start_at?: number | null; end_at?: number | null; weekly_days?: string[]; daily_from?: string | null; daily_to?: string | null;
  eligible_types?: string[]; min_grade?: string | null; other_conditions?: string | null; description?: string | null;
  contact_name?: string | null; contact_phone?: string | null; visibility: string; status: string; version: number;
  created_at: number; contact_visible?: boolean; can_edit?: boolean;
}
export interface Docking {
  id: number; need_id: number; resource_id: number; need_org_id: number; resource_org_id: number; quantity: number;
  unit: string; status: string; note?: string | null; need_accepted_at?: number | null; resource_accepted_at?: number | null;
  started_at?: number | null; closed_at?: number | null; fulfilled_quantity?: number | null; fail_reason?: string | null;
  need_rating?: number | null; need_feedback?: string | null; resource_rating?: number | null; resource_feedback?: string | null;
  need_title: string; resource_title: string | null; need_org_name: string; resource_org_name: string | null; version: number;
  created_at: number; my_sides?: string[];
  /** an expert docking: the expert of the pool instead of a resource */
  talent_id?: number | null; talent_name?: string | null; talent_affiliation?: string | null; talent_title?: string | null;
}
export interface Talent {
  id: number; name: string; kind: 'talent' | 'expert'; user_id?: number | null; org_id?: number | null; org_name?: string | null;
  skills: string[]; fields: string[]; affiliation?: string | null; title?: string | null; hours_per_month: number; pro_bono: boolean;
  languages: string[]; street_code?: string | null; street_name?: string | null; phone?: string | null; email?: string | null;
  bio?: string | null; active: boolean; version: number; contact_visible?: boolean; can_edit?: boolean;
  /** the linked account, for those who may edit the entry */
  user?: { id: number; username: string; display_name: string };
  record?: TalentRecord;
}
/** An expert's service record: dockings fulfilled and failed, ratings from the need sides. */
export interface TalentRecord { fulfilled: number; failed: number; rating_count: number; rating_mean: number | null }
/** "已完成 3 次对接，平均评分 4.7" (nothing for a record without any docking). */
export function recordText(t: (k: string, p?: Record<string, unknown>) => string, r?: TalentRecord): string {
  if (!r || (!r.fulfilled && !r.failed && !r.rating_count)) return '';
  const parts = [r.rating_count ? t('res.r.text', { n: r.fulfilled, mean: (r.rating_mean ?? 0).toFixed(1) }) : t('res.r.noRating', { n: r.fulfilled })];
  if (r.failed) parts.push(t('res.r.failed', { n: r.failed }));
  return parts.join(t('res.r.sep'));
}
/** The offering side of a docking as a person reads it: the resource, or the expert. */
export const offerTitle = (d: Docking) => (d.talent_id ? d.talent_name || '' : d.resource_title || '');
export const offerOrg = (d: Docking) => (d.talent_id ? [d.talent_affiliation, d.talent_title].filter(Boolean).join(' ') : d.resource_org_name || '');
/** YYYY-MM-DD in the district (UTC+8) of Unix seconds. */
export function day(s?: number | null): string {
  if (!s) return '';
  return new Date((s + 8 * 3600) * 1000).toISOString().slice(0, 10);
}

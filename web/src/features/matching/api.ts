// Types of the matching API (docs/openapi/matching.json) and the docking proposal shared by
// the suggestions panel and the run detail.
import { post } from '@/api/client';

export interface Part { part: string; name: string; value: number; weight: number; contribution: number; reason: string }
export interface Score { total: number; fairness: number; parts: Part[]; explanation?: string }
export interface Suggestion {
  id: number; kind: string; title: string; org_id: number; org_name: string; category: string;
  remaining: number; unit: string; status: string; score: Score;
  docking: { id: number; status: string } | null; // a live docking of the pair: shown, not proposed again
}
export interface Suggestions { item: { id: number; remaining: number; unit: string }; suggestions: Suggestion[]; weights_version: number }
export interface RunEdge {
  seq: number; need_id: number; resource_id: number; score: number; capacity: number; flow: number;
  need_quantity: number; resource_quantity: number; need_title: string; need_org_name: string;
  resource_title: string; resource_org_name: string; docking_id: number | null;
}
export interface Run {
  id: number; status: 'queued' | 'running' | 'done' | 'failed'; params: { categories?: string[]; streets?: string[]; k?: number };
  n_needs: number; n_resources: number; n_edges: number; n_allocated?: number;
  total_score: number; total_quantity: number; millis: number; score_scale: number; created_at: number;
  finished_at: number | null; phase: string | null; progress_done: number; progress_total: number;
  error: string | null; error_message: string | null;
}
export const runActive = (r: Run | null | undefined) => !!r && (r.status === 'queued' || r.status === 'running');
export const WEIGHT_KEYS = ['category', 'fields', 'text', 'proximity', 'time', 'quantity', 'trust'];

export interface DockingDraft { need_id: number; resource_id: number; quantity: number; note?: string }
export const proposeDocking = (d: DockingDraft) => post<{ id: number }>('/api/v1/dockings', d);
export const stamp = (s: number | null | undefined) => (s ? new Date(s * 1000).toLocaleString() : '—');

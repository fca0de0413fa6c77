// Types of the matching API (docs/openapi/matching.json) and the docking proposal shared by
// the suggestions panel and the run detail.
import { post } from '@/api/client';

export interface Part { part: string; name: string; value: number; weight: number; contribution: number; reason: string }
export interface Score { total: number; fairness: number; parts: Part[]; explanation?: string }
export interface Suggestion {
  id: number; kind: string; title: string; org_id: number; org_name: string; category: string;
  remaining: number; unit: string; status: string; score: Score;
}
export interface Suggestions { item: { id: number; remaining: number; unit: string }; suggestions: Suggestion[]; weights_version: number }
export interface RunItem { item_id: number; kind: string; quantity: number; title: string; org_id: number; org_name: string }
export interface RunEdge { seq: number; need_id: number; resource_id: number; score: number; capacity: number; flow: number }
export interface Run {
  id: number; status: string; params: Record<string, unknown>; n_needs: number; n_resources: number; n_edges: number;
  total_score: number; total_quantity: number; millis: number; score_scale: number; created_at: number;
  finished_at: number | null; items?: RunItem[]; edges?: RunEdge[]; allocation?: RunEdge[];
}
export const WEIGHT_KEYS = ['category', 'fields', 'text', 'proximity', 'time', 'quantity', 'trust'];

export interface DockingDraft { need_id: number; resource_id: number; quantity: number; note?: string }
export const proposeDocking = (d: DockingDraft) => post<{ id: number }>('/api/v1/dockings', d);
export const stamp = (s: number | null | undefined) => (s ? new Date(s * 1000).toLocaleString() : '—');

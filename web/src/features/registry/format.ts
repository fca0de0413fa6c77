// Showing a field's value to a person: codes become labels, lists are joined, booleans are
// yes/no, empty values say "not set".
import type { Org } from '@/api/schema';
import type { FieldSpec } from './orgFields';

type Translate = (key: string) => string;
type Label = (list: never, code?: string | null) => string;

export function formatField(org: Org, f: FieldSpec, t: Translate, label: Label): string {
  const rec: Record<string, unknown> = org; // read field by field, by name
  const v = rec[f.key];
  if (v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) {
    return f.kind === 'bool' ? t('common.no') : t('common.notSet');
  }
  const nameKey = f.key.replace(/_code$/, '_name');
  if (f.options && typeof rec[nameKey] === 'string' && rec[nameKey]) return rec[nameKey] as string;
  if (f.kind === 'bool') return v ? t('common.yes') : t('common.no');
  if (f.kind === 'multi' && Array.isArray(v)) return v.map((c) => label(f.options as never, String(c))).join('、');
  if (Array.isArray(v)) return v.join('、');
  if (f.options) return label(f.options as never, String(v));
  if (f.kind === 'number' && typeof v === 'number') return v.toLocaleString();
  return String(v);
}

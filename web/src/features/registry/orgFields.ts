// The organization's fields as the form and the profile tab show them, in order, with the kind of
// input each needs. Field names are the API's JSON names (src/registry/org.h org_input_fields).
import type { RegistryOptions } from '@/composables/registryOptions';

export type FieldKind = 'text' | 'textarea' | 'select' | 'multi' | 'number' | 'date' | 'bool' | 'tags';

export interface FieldSpec {
  key: string;
  kind: FieldKind;
  section: 'basic' | 'contact' | 'more';
  options?: keyof RegistryOptions;
  required?: boolean;
  max?: number;
}

export const orgFields: FieldSpec[] = [
  { key: 'name', kind: 'text', section: 'basic', required: true, max: 100 },
  { key: 'short_name', kind: 'text', section: 'basic', max: 40 },
  { key: 'credit_code', kind: 'text', section: 'basic', max: 18 },
  { key: 'type', kind: 'select', section: 'basic', options: 'types', required: true },
  { key: 'status', kind: 'select', section: 'basic', options: 'statuses' },
  { key: 'street_code', kind: 'select', section: 'basic', options: 'streets', required: true },
  { key: 'community_code', kind: 'select', section: 'basic', options: 'communities' },
  { key: 'fields', kind: 'multi', section: 'basic', options: 'fields' },
  { key: 'founded_on', kind: 'date', section: 'basic' },
  { key: 'registration_authority', kind: 'text', section: 'basic', max: 100 },
  { key: 'supervising_unit', kind: 'text', section: 'basic', max: 100 },
  { key: 'legal_representative', kind: 'text', section: 'contact', max: 40 },
  { key: 'contact_person', kind: 'text', section: 'contact', max: 40 },
  { key: 'contact_phone', kind: 'text', section: 'contact', max: 20 },
  { key: 'contact_email', kind: 'text', section: 'contact', max: 100 },
  { key: 'address', kind: 'text', section: 'contact', max: 200 },
  { key: 'staff_count', kind: 'number', section: 'more' },
  { key: 'volunteer_count', kind: 'number', section: 'more' },
  { key: 'annual_budget', kind: 'number', section: 'more' },
  { key: 'has_party_org', kind: 'bool', section: 'more' },
  { key: 'tags', kind: 'tags', section: 'more' },
  { key: 'description', kind: 'textarea', section: 'more', max: 2000 },
];

/** Characters of a Unified Social Credit Code, each at the position of its value (GB 32100). */
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** 'ok', 'incomplete' (fewer than 18 characters) or 'bad' (wrong character or check character).
 *  A quick hint while typing; the server's check on save is the one that counts. */
export function creditCodeState(code: string): 'ok' | 'incomplete' | 'bad' {
  const c = code.trim();
  for (const ch of c) if (!ALPHABET.includes(ch)) return 'bad';
  if (c.length < 18) return 'incomplete';
  if (c.length > 18) return 'bad';
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += ALPHABET.indexOf(c[i]) * WEIGHTS[i];
  const check = (31 - (sum % 31)) % 31;
  return ALPHABET[check] === c[17] ? 'ok' : 'bad';
}

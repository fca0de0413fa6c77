// A person's fields as the form and the detail page show them, in order (the API's JSON names,
// src/registry/person.c). `create` fields are sent only when registering: they link the new
// person to their first organization.
import type { RegistryOptions } from '@/composables/registryOptions';

export interface PersonFieldSpec {
  key: string;
  kind: 'text' | 'textarea' | 'select';
  options?: keyof RegistryOptions;
  required?: boolean;
  max?: number;
}

export const personFields: PersonFieldSpec[] = [
  { key: 'name', kind: 'text', required: true, max: 50 },
  { key: 'gender', kind: 'select', options: 'genders' },
  { key: 'phone', kind: 'text', max: 20 },
  { key: 'email', kind: 'text', max: 254 },
  { key: 'id_number', kind: 'text', max: 18 },
  { key: 'uf_category', kind: 'select', options: 'ufCategories' },
  { key: 'note', kind: 'textarea', max: 1000 },
];

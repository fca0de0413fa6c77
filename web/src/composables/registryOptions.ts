// The choices of the registry's filters and forms (types, fields of work, statuses, grades,
// united-front categories and genders of people, streets and communities), from GET /api/v1/registry/options and GET /api/v1/divisions, in
// the current language. Loaded once per language and shared by every page.
import { computed, ref } from 'vue';
import { get } from '@/api/client';
import type { Divisions, RegistryOptions as RegistryOptionsReply } from '@/api/schema';
import { i18n } from '@/i18n';

/** A code with its label in the caller's language (a page's choice; not an API shape). */
export interface Option {
  code: string;
  label: string;
}

export interface Division extends Option {
  parent?: string; // a community's street
}

export interface RegistryOptions {
  types: Option[];
  fields: Option[];
  statuses: Option[];
  grades: Option[];
  ufCategories: Option[];
  genders: Option[];
  streets: Division[];
  communities: Division[];
}

/** [{code,label}] from the server's [{code, zh, en}] in the given language. */
function toOptions(v: RegistryOptionsReply['types'] | undefined, en: boolean): Option[] {
  return (v || []).map((o) => ({ code: o.code, label: (en ? o.en : o.zh) || o.code }));
}

const raw = ref<{ opts: RegistryOptionsReply; divs: Divisions } | null>(null);
const error = ref<unknown>(null);
let pending: Promise<void> | null = null;

// The server sends both languages, so switching language needs no new request.
const state = computed<RegistryOptions | null>(() => {
  if (!raw.value) return null;
  const { opts, divs } = raw.value;
  const en = i18n.global.locale.value === 'en';
  const streets = divs.streets || [];
  return {
    types: toOptions(opts.types, en),
    fields: toOptions(opts.fields, en),
    statuses: toOptions(opts.statuses, en),
    grades: toOptions(opts.grades, en),
    ufCategories: toOptions(opts.uf_categories, en),
    genders: toOptions(opts.genders, en),
    streets: streets.map((d) => ({ code: d.code, label: d.name || d.code })),
    communities: streets.flatMap((st) =>
      (st.communities || []).map((d) => ({ code: d.code, label: d.name || d.code, parent: st.code })),
    ),
  };
});

async function fetchAll(): Promise<void> {
  error.value = null;
  try {
    const [opts, divs] = await Promise.all([
      get<RegistryOptionsReply>('/api/v1/registry/options'),
      get<Divisions>('/api/v1/divisions'),
    ]);
    raw.value = { opts, divs };
  } catch (err) {
    error.value = err;
    pending = null;
  }
}

function load(): Promise<void> {
  if (!pending) pending = fetchAll();
  return pending;
}

export function useRegistryOptions() {
  load();
  const label = (list: keyof RegistryOptions, code?: string | null) =>
    (code && state.value?.[list].find((o) => o.code === code)?.label) || code || '';
  return { options: state, error, reload: () => ((pending = null), load()), label };
}

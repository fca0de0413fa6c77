// The choices of the registry's filters and form (types, fields of work, statuses, grades,
// streets and communities), from GET /api/v1/registry/options and GET /api/v1/divisions, in
// the current language. Loaded once per language and shared by every page.
import { ref, watch } from 'vue';
import { get } from '@/api/client';
import type { Option } from '@/api/types';
import { i18n } from '@/i18n';

export interface Division extends Option {
  parent?: string | null;
  level?: string | number;
}

export interface RegistryOptions {
  types: Option[];
  fields: Option[];
  statuses: Option[];
  grades: Option[];
  streets: Division[];
  communities: Division[];
}

/** [{code,label}] from either a list of objects or a {code: label} map. */
function toOptions(v: unknown): Option[] {
  if (Array.isArray(v)) {
    return v.map((o) =>
      typeof o === 'string' ? { code: o, label: o } : { code: String(o.code), label: String(o.label ?? o.name ?? o.code) },
    );
  }
  if (v && typeof v === 'object') return Object.entries(v).map(([code, label]) => ({ code, label: String(label) }));
  return [];
}

function toDivisions(v: unknown): Division[] {
  const list = Array.isArray(v) ? v : ((v as { items?: unknown[] })?.items ?? []);
  return (list as Record<string, unknown>[]).map((d) => ({
    code: String(d.code),
    label: String(d.label ?? d.name ?? d.code),
    parent: (d.parent ?? d.parent_code ?? null) as string | null,
    level: d.level as string | number | undefined,
  }));
}

/** Streets are the 9-digit-prefix divisions (code ending in 000), communities the rest. */
function isStreet(d: Division): boolean {
  if (d.level !== undefined) return d.level === 'street' || d.level === 4;
  return d.code.endsWith('000');
}

const state = ref<RegistryOptions | null>(null);
const error = ref<unknown>(null);
let pending: Promise<void> | null = null;

async function fetchAll(): Promise<void> {
  error.value = null;
  try {
    const [opts, divs] = await Promise.all([
      get<Record<string, unknown>>('/api/v1/registry/options'),
      get<unknown>('/api/v1/divisions'),
    ]);
    const all = toDivisions(divs);
    state.value = {
      types: toOptions(opts.types),
      fields: toOptions(opts.fields),
      statuses: toOptions(opts.statuses),
      grades: toOptions(opts.grades),
      streets: all.filter(isStreet),
      communities: all.filter((d) => !isStreet(d)),
    };
  } catch (err) {
    error.value = err;
    pending = null;
  }
}

watch(
  () => i18n.global.locale.value,
  () => {
    pending = null;
    if (state.value) load();
  },
);

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

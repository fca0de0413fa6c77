// A paged, filtered list whose state lives in the URL query (so Back, reload and shared links
// show the same list): the filter form, the current page of results, and the loading / error
// state. The search box (q) is applied as the user types (debounced); other filters on change.
// `settings` are choices with a default that are not filters (the sort order): absent from the
// URL while they keep their default, always sent to the API, kept by clear(), and not counted
// in `filtered`.
import { computed, onBeforeUnmount, reactive, ref, watch } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { get, type Page } from '@/api/client';

export function usePagedList<T>(
  path: string,
  filters: readonly string[],
  perPage = 20,
  settings: Record<string, string> = {},
) {
  const route = useRoute();
  const router = useRouter();
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  const form = reactive<Record<string, string>>({ q: str(route.query.q) });
  for (const f of filters) form[f] = str(route.query[f]);
  for (const [k, v] of Object.entries(settings)) form[k] = str(route.query[k]) || v;
  const paging = reactive({ page: Number(route.query.page) || 1, per_page: Number(route.query.per_page) || perPage });

  const data = ref<Page<T> | null>(null);
  const loading = ref(true);
  const error = ref<unknown>(null);
  let seq = 0;

  function query(): Record<string, string> {
    const q: Record<string, string> = {};
    for (const [k, v] of Object.entries(form)) if (v && v !== settings[k]) q[k] = v;
    if (paging.page > 1) q.page = String(paging.page);
    if (paging.per_page !== perPage) q.per_page = String(paging.per_page);
    return q;
  }

  async function load() {
    const mine = ++seq; // an older, slower answer must not overwrite a newer one
    loading.value = true;
    error.value = null;
    try {
      const page = await get<Page<T>>(path, { ...settings, ...query(), page: paging.page, per_page: paging.per_page });
      if (mine === seq) data.value = page;
    } catch (err) {
      if (mine === seq) error.value = err;
    } finally {
      if (mine === seq) loading.value = false;
    }
  }

  function apply(resetPage = true) {
    if (resetPage) paging.page = 1;
    router.replace({ query: query() });
    load();
  }

  let debounce: ReturnType<typeof setTimeout> | undefined;
  watch(
    () => form.q,
    () => {
      clearTimeout(debounce);
      debounce = setTimeout(() => apply(), 300);
    },
  );
  onBeforeUnmount(() => clearTimeout(debounce));

  function clear() {
    for (const k of Object.keys(form)) if (!(k in settings)) form[k] = '';
    clearTimeout(debounce);
    apply();
  }

  const filtered = computed(() => Object.entries(form).some(([k, v]) => !!v && !(k in settings)));
  load();
  return { form, paging, data, loading, error, load, apply, clear, filtered };
}

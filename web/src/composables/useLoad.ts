// The loading / error / data triple of a view that shows one answer of the API (pair it with
// <StateBlock :loading :error @retry="load">). `fetch` may make several calls and return what the
// view needs; the latest load wins: an answer that arrives after a newer load started is dropped,
// so a slow reply never overwrites what the view asked for since. Loads at once, and again
// whenever `watch` (a route parameter, a prop, the language) changes.
import { ref, watch as watchSource, type Ref, type WatchSource } from 'vue';

export interface LoadOptions {
  watch?: WatchSource | WatchSource[];
  immediate?: boolean; // default true
}

export function useLoad<T>(fetch: () => Promise<T>, opts: LoadOptions = {}) {
  const data = ref<T | null>(null) as Ref<T | null>;
  const loading = ref(opts.immediate !== false);
  const error = ref<unknown>(null);
  let seq = 0;
  async function load() {
    const mine = ++seq;
    loading.value = true;
    error.value = null;
    try {
      const value = await fetch();
      if (mine === seq) data.value = value;
    } catch (err) {
      if (mine === seq) error.value = err;
    } finally {
      if (mine === seq) loading.value = false;
    }
  }
  if (opts.watch) watchSource(opts.watch, () => load());
  if (opts.immediate !== false) load();
  return { data, loading, error, load };
}

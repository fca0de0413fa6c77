// The loading / error / data triple of a page that shows one answer of the API.
import { ref, type Ref } from 'vue';

export function useLoad<T>(fetch: () => Promise<T>) {
  const data = ref<T | null>(null) as Ref<T | null>;
  const loading = ref(true);
  const error = ref<unknown>(null);
  async function load() {
    loading.value = true;
    error.value = null;
    try {
      data.value = await fetch();
    } catch (err) {
      error.value = err;
    } finally {
      loading.value = false;
    }
  }
  load();
  return { data, loading, error, load };
}

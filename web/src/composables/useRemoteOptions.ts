// The options of a select searched on the server as the user types (the pickers): the latest
// search wins — an answer that arrives after a newer search started is dropped, so a slow
// reply never overwrites the list for what is typed now — and a failed search empties the list.
import { ref, type Ref } from 'vue';

export function useRemoteOptions<T>(fetch: (q: string) => Promise<T[]>) {
  const options = ref([]) as Ref<T[]>;
  const loading = ref(false);
  let seq = 0;
  async function search(q: string) {
    const mine = ++seq;
    loading.value = true;
    try {
      const items = await fetch(q);
      if (mine === seq) options.value = items;
    } catch {
      if (mine === seq) options.value = [];
    } finally {
      if (mine === seq) loading.value = false;
    }
  }
  return { options, loading, search };
}

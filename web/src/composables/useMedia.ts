// Whether the screen is phone-sized (≤ 768 px), kept up to date.
import { onBeforeUnmount, ref } from 'vue';

export function usePhone() {
  const q = window.matchMedia('(max-width: 768px)');
  const phone = ref(q.matches);
  const on = (e: MediaQueryListEvent) => (phone.value = e.matches);
  q.addEventListener('change', on);
  onBeforeUnmount(() => q.removeEventListener('change', on));
  return phone;
}

// Who is signed in. The session itself is an HttpOnly cookie the page cannot read; what the page
// keeps is the account (GET /api/v1/me) and the CSRF token that writes must carry.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { del, get, post, setCsrfToken } from '@/api/client';
import type { Me, SessionReply } from '@/api/schema';

export const useSession = defineStore('session', () => {
  const me = ref<Me | null>(null);
  let loading: Promise<void> | null = null;

  function adopt(user: Me | null, csrf?: string) {
    me.value = user;
    setCsrfToken(csrf || '');
  }

  /** Loads the account once (later calls reuse the first answer); anonymous leaves me null. */
  function load(): Promise<void> {
    if (!loading) {
      loading = get<Me>('/api/v1/me')
        .then((m) => adopt(m, m.csrf_token))
        .catch(() => adopt(null));
    }
    return loading;
  }

  /** Signs in; rejects with the ApiError (invalid_credentials, totp_required, too_many_requests). */
  async function signIn(username: string, password: string, totp?: string): Promise<void> {
    const body: Record<string, string> = { username, password };
    if (totp) body.totp = totp;
    const reply = await post<SessionReply>('/api/v1/session', body);
    adopt(reply.user, reply.csrf_token);
    loading = Promise.resolve();
  }

  async function signOut(): Promise<void> {
    try {
      await del('/api/v1/session');
    } finally {
      forget();
    }
  }

  /** Drops what the page knew of the session (after a 401 or sign-out). */
  function forget() {
    adopt(null);
    loading = Promise.resolve();
  }

  const roles = computed(() => new Set<string>(me.value?.roles || []));
  const hasRole = (...names: string[]) => names.some((n) => roles.value.has(n));

  return { me, load, signIn, signOut, forget, hasRole };
});

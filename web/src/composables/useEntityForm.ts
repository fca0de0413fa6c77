// The load / save dance of a form that registers or edits one record (OrgFormPage,
// PersonFormPage): on edit it reads the record (loading / loadError for <StateBlock>) and hands
// it to `fill`, which copies it into the page's model; on create `fill(null)` empties the model.
// `submit(write)` runs the page's write: field errors of a 422 problem+json land in
// `fieldErrors` under their fields (the page binds them to :error), and the rest becomes one
// `formError` line. `handle` sees an ApiError first and returns true when it dealt with it (409
// stale_version: the page shows what changed in between; 409 duplicate: a field to point at).
import { reactive, ref, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { ApiError, get } from '@/api/client';
import { errorText } from '@/api/errors';

export interface EntityFormOptions<T> {
  /** the record's address when editing; null when registering a new one */
  url: () => string | null;
  fill: (record: T | null) => void;
}

export function useEntityForm<T>(opts: EntityFormOptions<T>) {
  const { t } = useI18n();
  const original = ref(null) as Ref<T | null>;
  const loading = ref(!!opts.url());
  const loadError = ref<unknown>(null);
  const saving = ref(false);
  const fieldErrors = reactive<Record<string, string>>({});
  const formError = ref('');

  async function load() {
    opts.fill(null);
    const url = opts.url();
    if (!url) return;
    loading.value = true;
    loadError.value = null;
    try {
      original.value = await get<T>(url);
      opts.fill(original.value);
    } catch (err) {
      loadError.value = err;
    } finally {
      loading.value = false;
    }
  }

  function clearErrors() {
    for (const k of Object.keys(fieldErrors)) delete fieldErrors[k];
    formError.value = '';
  }

  /** Runs `write`; its answer, or null when it failed (the errors are then on the form). */
  async function submit<R>(write: () => Promise<R>, handle?: (err: ApiError) => boolean | Promise<boolean>): Promise<R | null> {
    clearErrors();
    saving.value = true;
    try {
      return await write();
    } catch (err) {
      if (!(err instanceof ApiError)) {
        formError.value = errorText(t, err);
        return null;
      }
      for (const f of err.fieldErrors) fieldErrors[f.field] = f.message;
      if (handle && (await handle(err))) return null;
      formError.value = err.fieldErrors.length ? t('common.fixFields') : errorText(t, err);
      return null;
    } finally {
      saving.value = false;
    }
  }

  load();
  return { original, loading, loadError, saving, fieldErrors, formError, load, clearErrors, submit };
}

// The sentence to show a person for a failed call: our own wording for the errors whose cause a
// person can act on, else the server's message (already in the chosen language).
import { ApiError } from './client';

type Translate = (key: string, named?: Record<string, unknown>) => string;

const byCode: Record<string, string> = {
  network_error: 'errors.network',
  forbidden: 'errors.forbidden',
  not_found: 'errors.notFound',
  internal_error: 'errors.server',
  unavailable: 'errors.server',
  csrf_failed: 'errors.csrf',
};

export function errorText(t: Translate, err: unknown): string {
  if (err instanceof ApiError) {
    const key = byCode[err.code];
    if (key) return t(key);
    return err.message;
  }
  return t('errors.server');
}

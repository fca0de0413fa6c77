// The one way the application talks to the server.
//
// - JSON in and out; `X-CSRF-Token` on every write (the token comes from the sign-in reply or
//   GET /api/v1/me); `Accept-Language` follows the language the user chose.
// - An RFC 9457 problem+json reply becomes an ApiError (status, code, field errors,
//   retry_after), so pages branch on `err.code`, never on message text.
// - A 401 `unauthenticated` from any call but sign-in itself calls the handler set with
//   onUnauthenticated (the router sends the user to sign-in, keeping the intended path).

import type { Schemas } from './schema';

/** One bad field of a problem reply (the document's Problem.errors). */
export type FieldError = NonNullable<Schemas['Problem']['errors']>[number];

/** The document's Problem; a failure with no reply (network_error) has only status and code. */
export type Problem = Partial<Schemas['Problem']> & Pick<Schemas['Problem'], 'status' | 'code'>;

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly fieldErrors: FieldError[];
  readonly retryAfter: number;
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail || problem.title || problem.code);
    this.name = 'ApiError';
    this.status = problem.status;
    this.code = problem.code;
    this.title = problem.title || '';
    this.fieldErrors = problem.errors || [];
    this.retryAfter = problem.retry_after || 0;
    this.problem = problem;
  }

  /** The server's message for one field, or '' (for showing errors next to form fields). */
  fieldMessage(field: string): string {
    return this.fieldErrors.find((f) => f.field === field)?.message || '';
  }
}

export interface Page<T> {
  items: T[];
  total: number;
  /** false when a search matched more than the server counts exactly (total is a lower bound) */
  total_exact?: boolean;
  page: number;
  per_page: number;
}

export type Query = Record<string, string | number | boolean | undefined | null>;

let csrfToken = '';
let language = 'zh-CN';
let unauthenticated: (() => void) | null = null;

export function setCsrfToken(token: string): void {
  csrfToken = token || '';
}

export function setApiLanguage(lang: string): void {
  language = lang;
}

export function onUnauthenticated(handler: () => void): void {
  unauthenticated = handler;
}

/** "?a=1&b=x" from the non-empty entries of q ('' when none). */
export function queryString(q?: Query): string {
  if (!q) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined || v === null || v === '') continue;
    p.set(k, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

async function readProblem(res: Response): Promise<Problem> {
  const type = res.headers.get('content-type') || '';
  if (type.includes('json')) {
    try {
      const body = await res.json();
      if (body && typeof body === 'object' && typeof body.code === 'string') {
        return { ...body, status: res.status };
      }
    } catch {
      /* fall through */
    }
  }
  return { status: res.status, code: res.status >= 500 ? 'internal_error' : 'http_error' };
}

/** Calls the API; resolves to the parsed JSON body (undefined for 204), rejects with ApiError.
 *  A Blob body is sent as it is (a file upload) with its own type, else body goes as JSON. */
export async function api<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': language };
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let payload: string | Blob | undefined;
  if (body instanceof Blob) {
    headers['Content-Type'] = body.type || 'application/octet-stream';
    payload = body;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
  } catch {
    throw new ApiError({ status: 0, code: 'network_error' });
  }
  if (!res.ok) {
    const problem = await readProblem(res);
    if (res.status === 401 && problem.code === 'unauthenticated' && path !== '/api/v1/session') {
      unauthenticated?.();
    }
    throw new ApiError(problem);
  }
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') || '';
  return (type.includes('json') ? await res.json() : await res.text()) as T;
}

export const get = <T>(path: string, q?: Query) => api<T>('GET', path + queryString(q));
export const post = <T>(path: string, body?: unknown) => api<T>('POST', path, body ?? {});
export const patch = <T>(path: string, body: unknown) => api<T>('PATCH', path, body);
export const del = <T>(path: string, body?: unknown) => api<T>('DELETE', path, body);
/** Uploads a file as the raw request body (e.g. the import's CSV, as text/csv). */
export const postFile = <T>(path: string, file: Blob, type: string) =>
  api<T>('POST', path, file.type === type ? file : new Blob([file], { type }));

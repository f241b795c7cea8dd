// fetch wrapper for the govhall API: same-origin cookies, JSON (camelCase) bodies,
// Litestar CSRF double-submit header, bilingual error bodies.
import type { Lang } from './i18n';

export interface LocalizedText {
  zh: string;
  en: string;
}

export interface FieldError {
  field: string;
  message: LocalizedText;
}

interface ErrorBody {
  status?: number;
  code?: string;
  message?: LocalizedText | string;
  fields?: FieldError[];
  details?: Record<string, unknown>;
}

export function pickText(text: LocalizedText | string | undefined, lang: Lang): string | undefined {
  if (text === undefined || text === null) return undefined;
  if (typeof text === 'string') return text;
  return (lang === 'en' ? text.en : text.zh) || text.zh || text.en;
}

/**
 * An error answer of the API. Deliberately not a subclass of Error: Error's own `message`
 * string property would shadow the `message(lang)` method.
 */
export class ApiError {
  readonly name = 'ApiError';
  readonly status: number;
  readonly code: string;
  readonly fields: FieldError[];
  /** Facts the UI may word itself, e.g. `{ year: 2027 }` of `calendar_year_missing`. */
  readonly details: Record<string, unknown>;
  readonly stack?: string;
  private readonly localized?: LocalizedText | string;

  constructor(status: number, body: ErrorBody | null) {
    this.status = status;
    this.code = body?.code ?? (status === 0 ? 'network_error' : 'http_error');
    this.fields = Array.isArray(body?.fields) ? body.fields : [];
    this.details = body?.details && typeof body.details === 'object' ? body.details : {};
    this.localized = body?.message;
    this.stack = new Error(this.toString()).stack;
  }

  /** The server's message in the given language (falls back to a generic text). */
  message(lang: Lang): string {
    const text = pickText(this.localized, lang);
    if (text) return text;
    if (this.status === 0) {
      return lang === 'en' ? 'Cannot reach the server. Please try again later.' : '无法连接服务器，请稍后重试。';
    }
    return lang === 'en' ? `Request failed (${this.status})` : `请求失败（${this.status}）`;
  }

  /** Error text of one field, if the server reported one. */
  fieldMessage(field: string, lang: Lang): string | undefined {
    return pickText(this.fields.find((f) => f.field === field)?.message, lang);
  }

  toString(): string {
    return `ApiError ${this.status} ${this.code}`;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);
export const CSRF_COOKIE = 'csrftoken';
export const CSRF_HEADER = 'X-CSRFToken';
const CSRF_PRIME_PATH = '/healthz';

export function readCookie(name: string): string | undefined {
  for (const part of document.cookie.split(';')) {
    const [k, ...rest] = part.trim().split('=');
    if (k === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

/**
 * The server sets the CSRF cookie on successful safe requests (normally on loading index.html). When the page
 * came from elsewhere (the Vite dev server) or the cookie was cleared, one GET of a public endpoint sets it.
 */
async function primeCsrfCookie(): Promise<string | undefined> {
  try {
    await fetch(CSRF_PRIME_PATH, { credentials: 'same-origin', cache: 'no-store' });
  } catch {
    // the request that follows reports the network error
  }
  return readCookie(CSRF_COOKIE);
}

let onUnauthorized: () => void = () => {
  if (window.location.pathname !== '/login') window.location.assign('/login');
};

/** The auth provider installs a handler that clears the session and routes to /login. */
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined>;
  /** Do not redirect to /login on 401 (login itself, the initial `me` probe). */
  allowUnauthorized?: boolean;
  signal?: AbortSignal;
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const upper = method.toUpperCase();
  const headers: Record<string, string> = { Accept: 'application/json' };
  let body: BodyInit | undefined;
  if (opts.body instanceof FormData) {
    body = opts.body;
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  if (!SAFE_METHODS.has(upper)) {
    const token = readCookie(CSRF_COOKIE) ?? (await primeCsrfCookie());
    if (token) headers[CSRF_HEADER] = token;
  }
  let url = path;
  if (opts.query) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(opts.query)) if (v !== undefined) params.set(k, String(v));
    const qs = params.toString();
    if (qs) url += (url.includes('?') ? '&' : '?') + qs;
  }

  let res: Response;
  try {
    res = await fetch(url, { method: upper, headers, body, credentials: 'same-origin', signal: opts.signal });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, null);
  }

  const text = await res.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!res.ok) {
    if (res.status === 401 && !opts.allowUnauthorized) onUnauthorized();
    throw new ApiError(res.status, (data && typeof data === 'object' ? data : null) as ErrorBody | null);
  }
  return data as T;
}

export const api = {
  get: <T>(path: string, opts?: RequestOptions) => request<T>('GET', path, opts),
  post: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('POST', path, { ...opts, body }),
  put: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('PUT', path, { ...opts, body }),
  patch: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('PATCH', path, { ...opts, body }),
  delete: <T>(path: string, opts?: RequestOptions) => request<T>('DELETE', path, opts),
};

// ---- auth endpoints -------------------------------------------------------

export interface TenantRef {
  id: string | number;
  name: string;
  level: string;
}

export interface Me {
  id: string | number;
  username: string;
  displayName: string;
  mustChangePassword: boolean;
  tenant: TenantRef;
  roles: string[];
  permissions: string[];
}

export const authApi = {
  /** Current user, or null when not logged in. */
  async me(): Promise<Me | null> {
    try {
      return await api.get<Me>('/api/auth/me', { allowUnauthorized: true });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return null;
      throw err;
    }
  },
  login: (username: string, password: string) =>
    api.post<Me>('/api/auth/login', { username, password }, { allowUnauthorized: true }),
  logout: () => api.post<unknown>('/api/auth/logout', undefined, { allowUnauthorized: true }),
  changePassword: (currentPassword: string, newPassword: string) =>
    api.post<unknown>('/api/auth/password', { currentPassword, newPassword }),
};

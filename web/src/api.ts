/**
 * The one way the UI talks to the server: JSON over fetch, the session cookie (same origin) and,
 * when the user signed in with an API token, `Authorization: Bearer` from sessionStorage.
 * Errors come back as ApiError with the HubSpot error body's `message` for display.
 */

const TOKEN_KEY = 'seqflow.token';

export interface ErrorBody {
  status?: string;
  message?: string;
  category?: string;
  subCategory?: string;
  errors?: { message: string; in?: string; code?: string }[];
  context?: Record<string, string[]>;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: ErrorBody | null,
  ) {
    super(message);
  }
  get subCategory(): string | undefined {
    return this.body?.subCategory;
  }
}

export const token = {
  get: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  set: (t: string) => sessionStorage.setItem(TOKEN_KEY, t),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

type Listener = () => void;
const unauthorizedListeners = new Set<Listener>();
/** Called when a request comes back 401 while signed in: the app returns to the sign-in screen. */
export const onUnauthorized = (l: Listener) => {
  unauthorizedListeners.add(l);
  return () => {
    unauthorizedListeners.delete(l);
  };
};

/** A readable sentence for any failure: the server's message, else the HTTP status. */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof TypeError) return 'The Seqflow server could not be reached. Check that it is running.';
  return err instanceof Error ? err.message : String(err);
}

export async function request<T = unknown>(method: string, url: string, body?: unknown, opts: { quiet401?: boolean } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const t = token.get();
  if (t) headers.authorization = `Bearer ${t}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let parsed: unknown = undefined;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  if (!res.ok) {
    const eb = (parsed && typeof parsed === 'object' ? parsed : null) as ErrorBody | null;
    const message = eb?.message || `${method} ${url} failed with HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}.`;
    if (res.status === 401 && !opts.quiet401) unauthorizedListeners.forEach((l) => l());
    throw new ApiError(res.status, message, eb);
  }
  return parsed as T;
}

export const get = <T = unknown>(url: string) => request<T>('GET', url);
export const post = <T = unknown>(url: string, body?: unknown) => request<T>('POST', url, body ?? {});
export const put = <T = unknown>(url: string, body?: unknown) => request<T>('PUT', url, body);
export const patch = <T = unknown>(url: string, body?: unknown) => request<T>('PATCH', url, body);
export const del = <T = unknown>(url: string) => request<T>('DELETE', url);

export const q = (params: Record<string, string | number | boolean | undefined | null>) => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') s.set(k, String(v));
  const str = s.toString();
  return str ? `?${str}` : '';
};

/** Every page of a HubSpot-style paged list (results + paging.next.after). */
export async function allPages<T>(url: string, max = 50): Promise<T[]> {
  const out: T[] = [];
  let after: string | undefined;
  for (let i = 0; i < max; i++) {
    const sep = url.includes('?') ? '&' : '?';
    const page = await get<{ results: T[]; paging?: { next?: { after: string } } }>(`${url}${after ? `${sep}after=${encodeURIComponent(after)}` : ''}`);
    out.push(...page.results);
    after = page.paging?.next?.after;
    if (!after) break;
  }
  return out;
}

/** A multipart POST (a file upload), authenticated as `request` is; errors as ApiError. */
export async function postForm<T = unknown>(url: string, form: FormData): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const t = token.get();
  if (t) headers.authorization = `Bearer ${t}`;
  const res = await fetch(url, { method: 'POST', headers, credentials: 'same-origin', body: form });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!res.ok) {
    const eb = (parsed && typeof parsed === 'object' ? parsed : null) as ErrorBody | null;
    if (res.status === 401) unauthorizedListeners.forEach((l) => l());
    throw new ApiError(res.status, eb?.message || `POST ${url} failed with HTTP ${res.status}.`, eb);
  }
  return parsed as T;
}

// Browser-side access to the management API: one fetch wrapper, errors carry the server's message.

export class ApiClientError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | null,
    readonly param: string | null,
  ) {
    super(message);
  }
}

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

export async function apiFetch<T>(
  path: string,
  opts: { method?: string; body?: unknown; query?: Record<string, string | undefined> } = {},
): Promise<T> {
  const url = new URL(path, window.location.origin);
  for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
  // Same-origin only: the browser then sends this origin's Origin / Sec-Fetch-Site, which is what
  // the server requires of a cookie-authenticated change (lib/api/csrf.ts).
  const res = await fetch(url, {
    mode: "same-origin",
    credentials: "same-origin",
    method: opts.method ?? "GET",
    headers: opts.body === undefined ? undefined : { "content-type": "application/json" },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const text = await res.text();
  const data = text ? (JSON.parse(text) as unknown) : null;
  if (!res.ok) {
    const err = (data as { error?: { message?: string; code?: string; param?: string } } | null)?.error;
    throw new ApiClientError(err?.message ?? `Request failed (${res.status})`, res.status, err?.code ?? null, err?.param ?? null);
  }
  return data as T;
}

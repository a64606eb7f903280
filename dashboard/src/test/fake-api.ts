/**
 * fakeApi stands in for the Chis API in tests: it replaces fetch with a
 * table of "METHOD /path" routes and records every call made.
 */
import { vi } from "vitest";

export interface Call {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: string | undefined;
  json: () => unknown;
}

export interface Reply {
  status?: number;
  body?: unknown;
  /** Sent as is instead of body as JSON. */
  text?: string;
}

/** A handler is the JSON body of a 200, or a function of the call. */
export type Handler =
  | ((call: Call) => Reply | Promise<Reply>)
  | Record<string, unknown> | unknown[] | string | number | boolean | null;

export type Routes = Record<string, Handler>;

export const defaultOrg = {
  id: "org-1", name: "Acme Inc", slug: "acme-inc-1a2b", role: "admin",
};

/** reply answers with a status other than 200. */
export function reply(status: number, body?: unknown): () => Reply {
  return () => ({ status, body });
}

/** apiError answers with the API's error shape. */
export function apiError(status: number, message: string,
  details?: { field: string; message: string }[]): () => Reply {
  return reply(status, { code: "err", message, ...(details ? { details } : {}) });
}

export function fakeApi(routes: Routes) {
  const calls: Call[] = [];
  const table: Routes = {
    "GET /api/orgs": [defaultOrg],
    "GET /api/me": { id: "u1", email: "ada@example.com", firstName: "Ada", lastName: "Lovelace" },
    "GET /api/invitations/pending": [],
    ...routes,
  };

  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), "http://localhost");
    const method = (init?.method ?? "GET").toUpperCase();
    const headers = Object.fromEntries(
      Object.entries((init?.headers ?? {}) as Record<string, string>)
        .map(([k, v]) => [k.toLowerCase(), v]),
    );
    const body = typeof init?.body === "string" ? init.body : undefined;
    const call: Call = {
      method, path: url.pathname, query: url.searchParams, headers, body,
      json: () => (body === undefined ? undefined : JSON.parse(body)),
    };
    calls.push(call);

    const key = `${method} ${url.pathname}`;
    if (!(key in table)) {
      return new Response(JSON.stringify({ code: "not_found", message: `no fake for ${key}` }),
        { status: 404 });
    }

    const h = table[key];
    const r: Reply = typeof h === "function"
      ? await (h as (c: Call) => Reply | Promise<Reply>)(call)
      : { status: 200, body: h };
    const status = r.status ?? 200;
    const text = r.text ?? (r.body === undefined ? "" : JSON.stringify(r.body));

    return new Response(status === 204 ? null : text, {
      status, headers: { "Content-Type": "application/json" },
    });
  });

  vi.stubGlobal("fetch", fetch);

  return {
    calls,
    /** callsTo lists the calls to "METHOD /path". */
    callsTo: (key: string) => calls.filter((c) => `${c.method} ${c.path}` === key),
    set: (key: string, h: Handler) => { table[key] = h; },
  };
}

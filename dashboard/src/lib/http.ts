/**
 * The one way the dashboard talks to the API. Every response is checked
 * against a zod schema here, at the boundary, so components only ever see
 * data of the shape they were written for. Errors become ApiError with the
 * server's human-readable message and per-field details.
 */
import type { z } from "zod";
import { session } from "./session";

export interface FieldDetail {
  field: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: FieldDetail[];

  constructor(status: number, code: string, message: string, details: FieldDetail[] = []) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export interface RequestOptions<S extends z.ZodType> {
  schema: S;
  body?: unknown;
  /** Raw JSON text to send as is (the playground keeps payload bytes exact). */
  rawBody?: string;
  /** The organisation the call acts on (X-Org-ID). */
  orgId?: string | null;
  /** Send the session's bearer token; on by default. */
  auth?: boolean;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface RawResult<T> {
  data: T;
  text: string;
}

/** request sends one call and returns the checked response body. */
export async function request<S extends z.ZodType>(
  method: string,
  path: string,
  opts: RequestOptions<S>,
): Promise<z.infer<S>> {
  const { data } = await requestRaw(method, path, opts);
  return data;
}

/** requestRaw is request that also returns the response text as received. */
export async function requestRaw<S extends z.ZodType>(
  method: string,
  path: string,
  opts: RequestOptions<S>,
): Promise<RawResult<z.infer<S>>> {
  const headers: Record<string, string> = { Accept: "application/json", ...opts.headers };
  const token = opts.auth === false ? null : session.get().token;

  if (token) headers.Authorization = `Bearer ${token}`;
  if (opts.orgId) headers["X-Org-ID"] = opts.orgId;

  let body: string | undefined;
  if (opts.rawBody !== undefined) body = opts.rawBody;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined) headers["Content-Type"] = "application/json";

  let res: Response;
  try {
    res = await fetch(path, { method, headers, body, signal: opts.signal });
  } catch (err) {
    if (err instanceof DOMException && err.name === "AbortError") throw err;
    throw new ApiError(0, "network", "Can't reach the Chis API. Check your connection.");
  }

  const text = await res.text();

  if (!res.ok) {
    if (res.status === 401 && token) session.end("expired");
    throw toApiError(res.status, text);
  }

  return { data: check(opts.schema, text, method, path), text };
}

function check<S extends z.ZodType>(schema: S, text: string, method: string, path: string) {
  let json: unknown = undefined;
  if (text !== "") {
    try {
      json = JSON.parse(text);
    } catch {
      throw unexpected(method, path, "the body is not JSON");
    }
  }

  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join(".") : "body";
    throw unexpected(method, path, `${where}: ${issue?.message ?? "invalid"}`);
  }

  return parsed.data as z.infer<S>;
}

function unexpected(method: string, path: string, why: string): ApiError {
  const route = path.split("?")[0];
  return new ApiError(
    0,
    "unexpected_response",
    `The API sent an answer the dashboard doesn't understand (${method} ${route}: ${why}).`,
  );
}

const fallbackMessages: Record<number, string> = {
  400: "The request was not understood.",
  401: "Please sign in again.",
  403: "You don't have permission to do that.",
  404: "Not found.",
  409: "That conflicts with the current state. Refresh and try again.",
  413: "That's too large.",
  422: "Some fields need attention.",
  429: "Too many requests. Wait a moment and try again.",
  503: "Chis is temporarily unavailable. Try again shortly.",
};

/** toApiError reads the {code, message, details} error body, or makes one up. */
export function toApiError(status: number, text: string): ApiError {
  let code = "http_" + status;
  let message = fallbackMessages[status] ?? `The API answered with an error (${status}).`;
  let details: FieldDetail[] = [];

  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    if (typeof body.code === "string") code = body.code;
    if (typeof body.message === "string" && body.message.trim() !== "") message = body.message;
    if (Array.isArray(body.details)) {
      details = body.details.filter(
        (d): d is FieldDetail =>
          typeof d === "object" && d !== null &&
          typeof (d as FieldDetail).field === "string" &&
          typeof (d as FieldDetail).message === "string",
      );
    }
  } catch {
    // Not our JSON (a proxy's HTML page, say): keep the fallback message.
  }

  return new ApiError(status, code, message, details);
}

/** errorMessage is what to show a person for any thrown value. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error && err.message) return err.message;
  return "Something went wrong.";
}

/** query builds a query string from the defined, non-empty values. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== "") q.set(k, String(v));
  }

  const s = q.toString();
  return s ? `?${s}` : "";
}

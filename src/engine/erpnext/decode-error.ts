import { EngineError, type EngineErrorCode } from '../errors.js';
import { SECOND } from '../../lib/time.js';

/** The keys of a Frappe API v1 error body; every one is optional. */
export interface FrappeErrorBody {
  exc_type?: unknown;
  exception?: unknown;
  _server_messages?: unknown;
  _error_message?: unknown;
}

export interface ErrorResponse {
  /** `POST /api/resource/Warehouse`: what failed, for the message. */
  operation: string;
  status: number;
  statusText: string;
  headers: Headers;
  /** The raw body text; it may be JSON, an HTML proxy page or empty. */
  bodyText: string;
}

/**
 * Turns a non-2xx response into an EngineError: status + `exc_type` decide the code, the
 * first readable engine message becomes the message.
 */
export function decodeEngineError(response: ErrorResponse): EngineError {
  const { operation, status, statusText, headers, bodyText } = response;
  const body = parseJsonObject(bodyText);
  const excType = body && typeof body.exc_type === 'string' ? body.exc_type : undefined;
  const bodyMessage = body && messageOf(body);
  const engineMessage = bodyMessage || statusText || `HTTP ${status}`;
  const code = body ? codeForStatus(status) : codeForUnparsableBody(status);
  const label = excType ? `${status} ${excType}` : String(status);
  const detail = body ? engineMessage : `${engineMessage} (the body is not Frappe JSON)`;
  return new EngineError(code, `${operation} failed (${label}): ${detail}`, {
    status,
    excType,
    operation,
    engineMessage: bodyMessage || undefined,
    retryAfterMs: status === 429 ? retryAfterMsOf(headers) : undefined,
  });
}

/** Status to code, per the `http_status_code` of Frappe's exception classes (`frappe/exceptions.py`). */
export function codeForStatus(status: number): EngineErrorCode {
  if (status === 429) return 'ENGINE_RATE_LIMITED';
  if (status >= 500) return 'ENGINE_SERVER_ERROR';
  if (status === 401) return 'ENGINE_AUTH';
  if (status === 403) return 'ENGINE_PERMISSION';
  if (status === 404) return 'ENGINE_NOT_FOUND';
  if (status === 409) return 'ENGINE_DUPLICATE';
  return 'ENGINE_VALIDATION';
}

/**
 * A body that is not Frappe JSON did not come from Frappe's API (a proxy page, a wrong base URL),
 * so only the statuses that mean the same from anybody keep their meaning: 5xx and 429 stay
 * transient. A 404 page from a proxy must not read as "document absent".
 */
function codeForUnparsableBody(status: number): EngineErrorCode {
  if (status === 429 || status >= 500) return codeForStatus(status);
  return 'ENGINE_BAD_RESPONSE';
}

/** First of: decoded `_server_messages[*].message`, `_error_message`, `exception`. */
export function messageOf(body: FrappeErrorBody): string | undefined {
  const serverMessage = decodeServerMessages(body._server_messages)[0];
  if (serverMessage) return serverMessage;
  if (typeof body._error_message === 'string' && body._error_message) return stripHtml(body._error_message);
  if (typeof body.exception === 'string') return withoutExceptionClass(body.exception);
  return undefined;
}

/**
 * `_server_messages` is a JSON string of a list of JSON strings, each a message dict
 * (`frappe.msgprint` dicts): decode twice, keep the readable `message` texts.
 */
export function decodeServerMessages(raw: unknown): string[] {
  if (typeof raw !== 'string') return [];
  const outer = parseJson(raw);
  if (!Array.isArray(outer)) return [];
  return outer.flatMap((entry: unknown) => {
    const inner = typeof entry === 'string' ? parseJson(entry) : entry;
    const message = isObject(inner) ? inner.message : inner;
    const text = typeof message === 'string' ? stripHtml(message) : '';
    return text ? [text] : [];
  });
}

/**
 * `Retry-After` (seconds, or an HTTP date), else `X-RateLimit-Reset` (seconds until the window
 * ends, as Frappe's rate limiter sends it), in milliseconds.
 */
export function retryAfterMsOf(headers: Headers): number | undefined {
  return secondsHeaderMs(headers.get('retry-after')) ?? secondsHeaderMs(headers.get('x-ratelimit-reset'));
}

function secondsHeaderMs(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * SECOND);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Messages carry `<strong>` and links; a log line wants plain text. */
export function stripHtml(text: string): string {
  return text
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * `frappe.exceptions.ValidationError: Abbreviation already used` -> the part people read; a bare
 * class name (an exception raised without a message, e.g. a 401) says nothing: undefined.
 */
function withoutExceptionClass(exception: string): string | undefined {
  const match = /^[\w.]+(?::\s*(.*))?$/s.exec(exception.trim());
  if (!match) return exception.trim() || undefined;
  return match[1]?.trim() || undefined;
}

export function parseJsonObject(text: string): Record<string, unknown> | undefined {
  const value = parseJson(text);
  return isObject(value) ? value : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

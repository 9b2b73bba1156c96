import { EngineError } from '../errors.js';
import type { ApiPath } from './api-path.js';
import { decodeEngineError, parseJsonObject } from './decode-error.js';
import type { ResolvedClientOptions } from './options.js';
import PQueue from 'p-queue';

export type HttpMethod = 'GET' | 'POST' | 'PUT';

export interface ApiRequest {
  method: HttpMethod;
  path: ApiPath;
  /** Query values, already strings (callers JSON-encode `filters`/`fields`). */
  query?: Record<string, string>;
  /** Sent as JSON. */
  body?: unknown;
  /** False only for liveness: `ping` with a bad token would answer 401 (erpnext-api.md §3). */
  authenticated?: boolean;
  signal?: AbortSignal;
}

/**
 * Sends one request to Frappe and returns its JSON body, or throws an EngineError. It never
 * retries: the orchestrator owns retries and backoff. A caller's own abort is not an engine
 * failure, so it is rethrown as the caller's abort reason, untranslated.
 */
export class FrappeHttp {
  /** Bounds the requests in flight; a request whose caller gives up while queued leaves the queue. */
  private readonly inFlight: PQueue;
  private readonly authorization: string;

  constructor(private readonly options: ResolvedClientOptions) {
    this.inFlight = new PQueue({ concurrency: options.maxConcurrentRequests });
    this.authorization = `token ${options.apiKey}:${options.apiSecret}`;
  }

  send(request: ApiRequest): Promise<Record<string, unknown>> {
    return this.inFlight.add(() => this.sendNow(request), { signal: request.signal });
  }

  private async sendNow(request: ApiRequest): Promise<Record<string, unknown>> {
    const startedAt = performance.now();
    try {
      const response = await this.exchange(request);
      const body = parseResponse(request, response);
      this.report(request, startedAt, response.status);
      return body;
    } catch (error) {
      if (error instanceof EngineError) this.report(request, startedAt, error.status, error);
      throw error;
    }
  }

  /** Fetches and reads the whole body under one deadline, so a stalled body also times out. */
  private async exchange(request: ApiRequest): Promise<ResponseText> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
    try {
      const response = await fetch(this.urlOf(request), {
        method: request.method,
        headers: this.headersOf(request),
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal,
      });
      const text = await response.text();
      return { status: response.status, statusText: response.statusText, headers: response.headers, text };
    } catch (error) {
      if (request.signal?.aborted) throw request.signal.reason;
      throw this.transportError(request, error, timeout.aborted);
    }
  }

  private urlOf(request: ApiRequest): string {
    const query = request.query ? `?${new URLSearchParams(request.query).toString()}` : '';
    return `${this.options.url}${request.path.encoded}${query}`;
  }

  private headersOf(request: ApiRequest): Record<string, string> {
    // Accept must be JSON, or Frappe renders errors as HTML pages (erpnext-api.md §4.2).
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (request.authenticated !== false) headers.Authorization = this.authorization;
    if (request.body !== undefined) headers['Content-Type'] = 'application/json';
    return headers;
  }

  private transportError(request: ApiRequest, error: unknown, timedOut: boolean): EngineError {
    const operation = operationOf(request);
    if (timedOut) {
      return new EngineError('ENGINE_TIMEOUT', `${operation} timed out after ${this.options.timeoutMs} ms`, {
        operation,
        cause: error,
      });
    }
    return new EngineError('ENGINE_NETWORK', `${operation} failed: ${networkReason(error)}`, {
      operation,
      cause: error,
    });
  }

  private report(request: ApiRequest, startedAt: number, status?: number, error?: EngineError): void {
    this.options.onCall?.({
      method: request.method,
      path: request.path.readable,
      doctype: request.path.doctype,
      status,
      durationMs: performance.now() - startedAt,
      error,
    });
  }
}

interface ResponseText {
  status: number;
  statusText: string;
  headers: Headers;
  text: string;
}

function parseResponse(request: ApiRequest, response: ResponseText): Record<string, unknown> {
  const operation = operationOf(request);
  if (response.status < 200 || response.status > 299) {
    throw decodeEngineError({
      operation,
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
      bodyText: response.text,
    });
  }
  const body = parseJsonObject(response.text);
  if (body === undefined) {
    throw new EngineError('ENGINE_BAD_RESPONSE', `${operation} answered ${response.status} without a JSON object`, {
      operation,
      status: response.status,
    });
  }
  return body;
}

export function operationOf(request: Pick<ApiRequest, 'method' | 'path'>): string {
  return `${request.method} ${request.path.readable}`;
}

/**
 * undici hides the reason (ECONNREFUSED, "other side closed", ...) in `cause`. Duck-typed,
 * because errors from another realm (e.g. Jest's VM modules) fail `instanceof Error`.
 */
function networkReason(error: unknown): string {
  const cause = hasMessage(error) ? (error as { cause?: unknown }).cause : undefined;
  if (hasMessage(cause)) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === 'string' && !cause.message.includes(code) ? `${code} ${cause.message}` : cause.message;
  }
  return hasMessage(error) ? error.message : String(error);
}

function hasMessage(value: unknown): value is { message: string } {
  return typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string';
}

import { EngineError } from '../errors.js';
import type { ApiPath } from './api-path.js';
import { decodeEngineError, parseJsonObject } from './decode-error.js';
import type { ResolvedClientOptions } from './options.js';
import PQueue from 'p-queue';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface ApiRequest {
  method: HttpMethod;
  path: ApiPath;
  /** Query values, already strings (callers JSON-encode `filters`/`fields`). */
  query?: Record<string, string>;
  /** Sent as JSON. */
  body?: unknown;
  /** False only for liveness: `ping` with a bad token would answer 401. */
  authenticated?: boolean;
  signal?: AbortSignal;
}

/**
 * Sends one request to Frappe and returns its JSON body, or throws an EngineError. It never
 * retries: the orchestrator owns retries and backoff. A request ends at the first of its own
 * deadline and the caller's signal. A caller's deadline (an AbortSignal.timeout, e.g. the step's)
 * is a timeout like ours, ENGINE_TIMEOUT; any other abort (shutdown) is rethrown untranslated.
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
    return this.inFlight.add(() => this.sendNow(request), { signal: request.signal }).catch((error: unknown) => {
      throw this.callerAbort(request) ?? error;
    });
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
      throw this.callerAbort(request) ?? this.transportError(request, error, timeout.aborted);
    }
  }

  /** What a request aborted by its caller ends with, or undefined when the caller did not abort. */
  private callerAbort(request: ApiRequest): unknown {
    if (!request.signal?.aborted) return undefined;
    const reason: unknown = request.signal.reason;
    if (!isTimeout(reason)) return reason;
    const operation = operationOf(request);
    return new EngineError('ENGINE_TIMEOUT', `${operation} timed out: no answer from ERPNext at ${this.options.url} before the step's deadline`, {
      operation,
      cause: reason,
    });
  }

  private urlOf(request: ApiRequest): string {
    const query = request.query ? `?${new URLSearchParams(request.query).toString()}` : '';
    return `${this.options.url}${request.path.encoded}${query}`;
  }

  private headersOf(request: ApiRequest): Record<string, string> {
    // Accept must be JSON, or Frappe renders errors as HTML pages.
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (request.authenticated !== false) headers.Authorization = this.authorization;
    if (request.body !== undefined) headers['Content-Type'] = 'application/json';
    return headers;
  }

  private transportError(request: ApiRequest, error: unknown, timedOut: boolean): EngineError {
    const operation = operationOf(request);
    if (timedOut) {
      return new EngineError('ENGINE_TIMEOUT', `${operation} timed out: no answer from ERPNext at ${this.options.url} within ${this.options.timeoutMs} ms`, {
        operation,
        cause: error,
      });
    }
    return new EngineError('ENGINE_NETWORK', `${operation} failed: could not reach ERPNext at ${this.options.url} (${networkReason(error)})`, {
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

/** Socket error codes in words: a person reads the step's error, not a packet trace. */
const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused: nothing listens there',
  ECONNRESET: 'the connection was reset',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name could not be resolved right now',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  UND_ERR_SOCKET: 'the connection closed before the answer',
  CERT_HAS_EXPIRED: 'its TLS certificate has expired',
};

/**
 * undici hides the reason (ECONNREFUSED, "other side closed", ...) in `cause`. Duck-typed,
 * because errors from another realm (e.g. Jest's VM modules) fail `instanceof Error`.
 */
function networkReason(error: unknown): string {
  const cause = hasMessage(error) ? (error as { cause?: unknown }).cause : undefined;
  const source = hasMessage(cause) ? cause : error;
  const code = (source as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && NETWORK_REASONS[code]) return `${NETWORK_REASONS[code]}, ${code}`;
  return hasMessage(source) ? source.message : String(error);
}

/** The reason of an AbortSignal.timeout (a DOMException named TimeoutError, possibly of another realm). */
function isTimeout(reason: unknown): boolean {
  return typeof reason === 'object' && reason !== null && (reason as { name?: unknown }).name === 'TimeoutError';
}

function hasMessage(value: unknown): value is { message: string } {
  return typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string';
}

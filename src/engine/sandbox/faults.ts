/**
 * Test knobs (erpnext-api.md §12.2 point 15; DESIGN.md §8): latency, random 5xx, held requests,
 * an offline site, the next N requests failing, responses lost after commit, and a site-wide
 * request budget answering 429 like Frappe's rate limiter (§4.4). Set through
 * `POST /__sandbox/faults`; fields are merged into the current faults, `null` clears one.
 */
import { SECOND } from '../../lib/time.js';

/** Which /api requests a one-shot fault applies to; unset fields match anything. */
export interface RequestMatch {
  doctype?: string;
  /** HTTP method, e.g. `POST`. */
  method?: string;
}

export interface FailNextFault extends RequestMatch {
  status: number;
  count: number;
  /** Sent as `Retry-After` when `status` is 429; 1 second unless set. */
  retryAfterSeconds?: number;
}

export interface DropAfterCommitFault extends RequestMatch {
  count: number;
}

export interface RateLimitFault {
  /** /api requests allowed per window. */
  requests: number;
  /** Window length, also the longest `Retry-After`. */
  retryAfterSeconds: number;
}

export interface Faults {
  latencyMs?: number;
  /** Fraction (0-1) of /api requests answered 500, 502 or 503. */
  errorRate?: number;
  /** Fraction (0-1) of /api requests held unanswered until the client gives up. */
  timeoutRate?: number;
  /** /api connections are destroyed without a response. */
  offline?: boolean;
  failNext?: FailNextFault;
  dropAfterCommit?: DropAfterCommitFault;
  rateLimit?: RateLimitFault;
}

export class FaultPatchError extends Error {
  override readonly name = 'FaultPatchError';
}

/** The rate limiter's verdict and the `X-RateLimit-*` headers it adds to every response (§4.4). */
export interface RateLimitVerdict {
  rejected: boolean;
  retryAfterSeconds: number;
  headers: Record<string, string>;
}

const DEFAULT_RETRY_AFTER_SECONDS = 1;

export class FaultInjector {
  private faults: Faults = {};
  private window: { endsAt: number; used: number } | undefined;

  current(): Faults {
    return structuredClone(this.faults);
  }

  clear(): void {
    this.faults = {};
    this.window = undefined;
  }

  /** Merges a `POST /__sandbox/faults` body into the current faults; `null` removes a knob. */
  merge(patch: unknown): Faults {
    if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) throw new FaultPatchError('faults must be a JSON object');
    const next: Faults = { ...this.faults };
    const body = patch as Record<string, unknown>;
    for (const [key, value] of Object.entries(body)) {
      if (value === null) {
        delete next[key as keyof Faults];
        continue;
      }
      switch (key) {
        case 'latencyMs':
          next.latencyMs = nonNegative(key, value);
          break;
        case 'errorRate':
        case 'timeoutRate':
          next[key] = fraction(key, value);
          break;
        case 'offline':
          if (typeof value !== 'boolean') throw new FaultPatchError('offline must be a boolean');
          next.offline = value;
          break;
        case 'failNext':
          next.failNext = { ...match(key, value), status: status(value), count: count(key, value), ...retryAfter(value) };
          break;
        case 'dropAfterCommit':
          next.dropAfterCommit = { ...match(key, value), count: count(key, value) };
          break;
        case 'rateLimit': {
          const { requests, retryAfterSeconds = DEFAULT_RETRY_AFTER_SECONDS } = fields(key, value);
          next.rateLimit = {
            requests: nonNegative('rateLimit.requests', requests),
            retryAfterSeconds: nonNegative('rateLimit.retryAfterSeconds', retryAfterSeconds),
          };
          this.window = undefined;
          break;
        }
        default:
          throw new FaultPatchError(`unknown fault ${key}`);
      }
    }
    this.faults = next;
    return this.current();
  }

  get latencyMs(): number {
    return this.faults.latencyMs ?? 0;
  }

  get offline(): boolean {
    return this.faults.offline === true;
  }

  shouldHold(): boolean {
    return Math.random() < (this.faults.timeoutRate ?? 0);
  }

  /** A 500, 502 or 503 for the configured fraction of requests, else undefined. */
  randomServerError(): number | undefined {
    if (Math.random() >= (this.faults.errorRate ?? 0)) return undefined;
    const statuses = [500, 502, 503] as const;
    return statuses[Math.floor(Math.random() * statuses.length)];
  }

  /** Counts one /api request against the budget (§4.4: site-wide, not per user). */
  rateLimit(now = Date.now()): RateLimitVerdict | undefined {
    const limit = this.faults.rateLimit;
    if (!limit) return undefined;
    if (!this.window || now >= this.window.endsAt) this.window = { endsAt: now + limit.retryAfterSeconds * SECOND, used: 0 };
    const resetSeconds = Math.max(1, Math.ceil((this.window.endsAt - now) / SECOND));
    const rejected = this.window.used >= limit.requests;
    if (!rejected) this.window.used += 1;
    const headers: Record<string, string> = {
      'X-RateLimit-Reset': String(resetSeconds),
      'X-RateLimit-Limit': String(limit.requests),
      'X-RateLimit-Remaining': String(Math.max(0, limit.requests - this.window.used)),
    };
    if (rejected) headers['Retry-After'] = String(resetSeconds);
    else headers['X-RateLimit-Used'] = String(this.window.used);
    return { rejected, retryAfterSeconds: resetSeconds, headers };
  }

  /** Consumes one `failNext` shot when the request matches. */
  takeFailNext(request: Required<RequestMatch>): FailNextFault | undefined {
    const fault = this.faults.failNext;
    if (!fault || !matches(fault, request)) return undefined;
    if (fault.count > 1) this.faults.failNext = { ...fault, count: fault.count - 1 };
    else delete this.faults.failNext;
    return fault;
  }

  /** Consumes one `dropAfterCommit` shot when the request matches. */
  takeDropAfterCommit(request: Required<RequestMatch>): boolean {
    const fault = this.faults.dropAfterCommit;
    if (!fault || !matches(fault, request)) return false;
    if (fault.count > 1) this.faults.dropAfterCommit = { ...fault, count: fault.count - 1 };
    else delete this.faults.dropAfterCommit;
    return true;
  }
}

function matches(fault: RequestMatch, request: Required<RequestMatch>): boolean {
  return (
    (fault.doctype === undefined || fault.doctype === request.doctype) &&
    (fault.method === undefined || fault.method.toUpperCase() === request.method.toUpperCase())
  );
}

function nonNegative(key: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new FaultPatchError(`${key} must be a number >= 0`);
  return value;
}

function fraction(key: string, value: unknown): number {
  const number = nonNegative(key, value);
  if (number > 1) throw new FaultPatchError(`${key} must be between 0 and 1`);
  return number;
}

function fields(key: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null) throw new FaultPatchError(`${key} must be an object`);
  return value as Record<string, unknown>;
}

function match(key: string, value: unknown): RequestMatch {
  const { doctype, method } = fields(key, value);
  const result: RequestMatch = {};
  if (doctype !== undefined && doctype !== null) result.doctype = String(doctype);
  if (method !== undefined && method !== null) result.method = String(method).toUpperCase();
  return result;
}

function count(key: string, value: unknown): number {
  const { count: raw = 1 } = fields(key, value);
  const number = nonNegative(`${key}.count`, raw);
  if (!Number.isInteger(number) || number < 1) throw new FaultPatchError(`${key}.count must be an integer >= 1`);
  return number;
}

function status(value: unknown): number {
  const { status: raw } = fields('failNext', value);
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 400 || raw > 599) {
    throw new FaultPatchError('failNext.status must be an HTTP error status (400-599)');
  }
  return raw;
}

function retryAfter(value: unknown): Pick<FailNextFault, 'retryAfterSeconds'> {
  const { retryAfterSeconds } = fields('failNext', value);
  return retryAfterSeconds === undefined ? {} : { retryAfterSeconds: nonNegative('failNext.retryAfterSeconds', retryAfterSeconds) };
}

/**
 * Test knobs: latency, random 5xx, held requests (at random, or those matching a doctype and method),
 * an offline site, the next N requests failing, responses lost after commit, and a site-wide
 * request budget answering 429 like Frappe's rate limiter. Set through
 * `POST /__sandbox/faults`; fields are merged into the current faults, `null` clears one.
 */
import { z } from 'zod';
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
  /** Requests matching any of these are held unanswered until the client gives up, until the knob is cleared. */
  hold?: RequestMatch[];
  dropAfterCommit?: DropAfterCommitFault;
  rateLimit?: RateLimitFault;
}

export class FaultPatchError extends Error {
  override readonly name = 'FaultPatchError';
}

/** The rate limiter's verdict and the `X-RateLimit-*` headers it adds to every response. */
export interface RateLimitVerdict {
  rejected: boolean;
  retryAfterSeconds: number;
  headers: Record<string, string>;
}

const DEFAULT_RETRY_AFTER_SECONDS = 1;

const nonNegative = z.number().nonnegative();
const fraction = z.number().min(0).max(1);
const shots = z.int().min(1).default(1);
/** Which requests a one-shot fault hits; methods compare upper-cased. */
const requestMatch = {
  doctype: z.string().optional(),
  method: z
    .string()
    .transform((method) => method.toUpperCase())
    .optional(),
};

/** A `POST /__sandbox/faults` body: every knob optional, `null` clears one, unknown knobs refused. */
const FAULT_PATCH = z.strictObject({
  latencyMs: nonNegative.nullish(),
  errorRate: fraction.nullish(),
  timeoutRate: fraction.nullish(),
  offline: z.boolean().nullish(),
  failNext: z
    .strictObject({ ...requestMatch, status: z.int().min(400).max(599), count: shots, retryAfterSeconds: nonNegative.optional() })
    .nullish(),
  // One request or several (a test holding steps that run side by side).
  hold: z
    .union([z.strictObject(requestMatch), z.array(z.strictObject(requestMatch)).min(1)])
    .transform((hold) => (Array.isArray(hold) ? hold : [hold]))
    .nullish(),
  dropAfterCommit: z.strictObject({ ...requestMatch, count: shots }).nullish(),
  rateLimit: z.strictObject({ requests: nonNegative, retryAfterSeconds: nonNegative.default(DEFAULT_RETRY_AFTER_SECONDS) }).nullish(),
});

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
  merge(body: unknown): Faults {
    const parsed = FAULT_PATCH.safeParse(body);
    if (!parsed.success) throw new FaultPatchError(describe(parsed.error));
    const next: Record<string, unknown> = { ...this.faults };
    for (const [key, value] of Object.entries(parsed.data)) {
      if (value === null) delete next[key];
      else next[key] = value;
    }
    if ('rateLimit' in parsed.data) this.window = undefined;
    this.faults = next as Faults;
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

  /** Counts one /api request against the budget: site-wide, not per user, like Frappe's limiter. */
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

  /** Whether the `hold` knob holds this request. */
  holds(request: Required<RequestMatch>): boolean {
    return this.faults.hold?.some((match) => matches(match, request)) ?? false;
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

/** "field: what is wrong" for each problem zod found, so a test author can fix the body at once. */
function describe(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : 'faults'}: ${issue.message}`).join('; ');
}

import type { EngineError } from '../errors.js';
import { SECOND } from '../../lib/time.js';

/** One finished HTTP call, reported to `onCall` for metrics and tracing. */
export interface EngineCall {
  method: string;
  /** Readable path without the query string, e.g. `/api/resource/POS Profile/Main POS`. */
  path: string;
  doctype?: string;
  /** HTTP status, when the engine answered at all. */
  status?: number;
  durationMs: number;
  error?: EngineError;
}

export interface ErpNextClientOptions {
  /** Site base URL, e.g. `https://erp.example.com`. */
  url: string;
  apiKey: string;
  apiSecret: string;
  /** Per-request limit, in milliseconds, from the first byte sent to the last byte read. */
  timeoutMs?: number;
  /** Requests in flight at once; further calls wait for a free slot. */
  maxConcurrentRequests?: number;
  /** Called once per HTTP call. Must not throw: it observes, it does not decide. */
  onCall?: (call: EngineCall) => void;
}

export type ResolvedClientOptions = Required<Omit<ErpNextClientOptions, 'onCall'>> &
  Pick<ErpNextClientOptions, 'onCall'>;

/** Company inserts create about a hundred documents in one request, so be generous. */
export const DEFAULT_TIMEOUT_MS = 30 * SECOND;
export const DEFAULT_MAX_CONCURRENT_REQUESTS = 16;

/** Checks every option before the first request, so a typo fails at start-up, not mid-run. */
export function resolveClientOptions(options: ErpNextClientOptions): ResolvedClientOptions {
  const {
    url,
    apiKey,
    apiSecret,
    timeoutMs = DEFAULT_TIMEOUT_MS,
    maxConcurrentRequests = DEFAULT_MAX_CONCURRENT_REQUESTS,
    onCall,
  } = options;
  requireHttpUrl(url);
  requireNonEmptyString('apiKey', apiKey);
  requireNonEmptyString('apiSecret', apiSecret);
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new TypeError(`Expected \`timeoutMs\` to be a positive finite number, got ${String(timeoutMs)}.`);
  }
  if (!Number.isInteger(maxConcurrentRequests) || maxConcurrentRequests < 1) {
    throw new TypeError(
      `Expected \`maxConcurrentRequests\` to be a positive integer, got ${String(maxConcurrentRequests)}.`,
    );
  }
  if (onCall !== undefined && typeof onCall !== 'function') {
    throw new TypeError('Expected `onCall` to be a function.');
  }
  return { url: url.replace(/\/+$/, ''), apiKey, apiSecret, timeoutMs, maxConcurrentRequests, onCall };
}

function requireHttpUrl(url: unknown): asserts url is string {
  const parsed = typeof url === 'string' && URL.canParse(url) ? new URL(url) : null;
  if (parsed === null || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new TypeError(`Expected \`url\` to be an http(s) URL, got ${JSON.stringify(url)}.`);
  }
}

function requireNonEmptyString(name: string, value: unknown): void {
  if (typeof value !== 'string' || value.length === 0) {
    throw new TypeError(`Expected \`${name}\` to be a non-empty string.`);
  }
}

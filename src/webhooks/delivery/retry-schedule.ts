import { MINUTE, SECOND } from '../../lib/time.js';

const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Standard Webhooks' (and Svix's) schedule: the first attempt at once, then each of these
 * delays after the previous failure. 8 attempts over 27 h 35 min 5 s; with the jitter below, at
 * least 24 h 49 min.
 */
export const RETRY_DELAYS_MS = [5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 10 * HOUR];
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

/** Each delay is taken within ±10%, so deliveries that failed together do not return together. */
const JITTER = 0.1;

/** An endpoint whose every attempt failed for this long is disabled. */
export const FAILING_WINDOW_MS = 3 * DAY;

/** A receiver's Retry-After is honoured up to this: it cannot park a delivery for longer than the whole schedule. */
const MAX_RETRY_AFTER_MS = DAY;

/**
 * How long to wait after failed attempt number `attempt` (1-based), or null when it was the
 * last. `scale` shortens the schedule (tests); a Retry-After is honoured as the receiver said it.
 */
export function retryDelay(attempt: number, scale: number, retryAfterMs: number | null, random: () => number = Math.random): number | null {
  const delay = RETRY_DELAYS_MS[attempt - 1];
  if (delay === undefined) return null;
  const jittered = Math.round(delay * scale * (1 - JITTER + 2 * JITTER * random()));
  return Math.max(jittered, Math.min(retryAfterMs ?? 0, MAX_RETRY_AFTER_MS));
}

/** Retry-After as delay-seconds or an HTTP date (RFC 9110), in ms from `now`; null when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | null {
  const text = value?.trim();
  if (!text) return null;
  if (/^\d+$/.test(text)) return Number(text) * SECOND;
  // An HTTP date names its weekday and month; Date.parse would take "-5" for a year.
  const date = /[a-z]/i.test(text) ? Date.parse(text) : NaN;
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** "3 days", "1.04 s": the failing window in the disabled reason, as configured. */
export function describeDuration(ms: number): string {
  if (ms >= DAY) return `${+(ms / DAY).toFixed(2)} days`;
  if (ms >= HOUR) return `${+(ms / HOUR).toFixed(2)} h`;
  if (ms >= MINUTE) return `${+(ms / MINUTE).toFixed(2)} min`;
  return `${+(ms / SECOND).toFixed(2)} s`;
}

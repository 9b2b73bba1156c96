import { SECOND } from '../lib/time.js';

/** Knobs of webhook delivery, read from the environment by the server's config. */
export interface WebhookSettings {
  /** Lets endpoints use loopback and private addresses, and plain http to them (development, tests). */
  allowPrivate: boolean;
  /** Sends in flight at once per process. */
  concurrency: number;
  /** Multiplies the retry schedule and the 3-day window after which a failing endpoint is disabled (tests shorten them). */
  timeScale: number;
  /** How often a worker looks for due deliveries without being woken (retries due, another replica's crash). */
  pollIntervalMs: number;
  /** How long a claimed delivery stays with the process sending it; past it, any replica sends it again. */
  leaseMs: number;
}

export const DEFAULT_WEBHOOK_SETTINGS: WebhookSettings = {
  allowPrivate: false,
  concurrency: 16,
  timeScale: 1,
  pollIntervalMs: 5 * SECOND,
  // Longer than a send can take (10 s timeout), so a slow send is never sent twice at once.
  leaseMs: 30 * SECOND,
};

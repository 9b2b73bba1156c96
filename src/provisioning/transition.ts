import type { Logger } from 'pino';
import { isDatabaseUnavailable } from '../lib/errors.js';
import { SECOND } from '../lib/time.js';
import type { TenantProvisioningStatus } from '../tenants/tenant.entity.js';
import type { EventRecord } from './db/append-event.js';
import { recordTransition } from './db/record-transition.js';
import type { RunPool } from './db/run-pool.js';
import type { EventType, StepKey } from './model.js';
import { toView, type RunState, type StepState } from './run-state.js';

export interface Transition {
  state: RunState;
  /** The lease holder writing (null: a command on a run nobody executes). */
  owner: string | null;
  step?: StepState;
  event: { type: EventType; step?: StepKey | null; message: string };
  tenant?: { status: TenantProvisioningStatus; error: string | null };
}

export interface Committed {
  event: EventRecord;
  cancelRequested: boolean;
}

/** One state change and the event that describes it, in one transaction (one statement). */
export function commitTransition(db: RunPool, transition: Transition): Promise<Committed> {
  const { state, owner, step, event, tenant } = transition;
  return db.transaction((query) =>
    recordTransition(query, {
      state,
      view: toView(state, 0),
      owner,
      step,
      event: { type: event.type, step: event.step ?? step?.key ?? null, message: event.message },
      tenant,
    }),
  );
}

export interface DatabaseRetry {
  /** Give up after this long without the database (the lease has run out by then anyway). */
  maxWaitMs: number;
  signal?: AbortSignal;
}

/**
 * Commits, waiting out a database outage: the state is in memory, so nothing is lost while
 * PostgreSQL restarts. Anything but unavailability is thrown at once.
 */
export async function commitDurably(db: RunPool, transition: Transition, log: Logger, retry: DatabaseRetry): Promise<Committed> {
  const deadline = Date.now() + retry.maxWaitMs;
  for (let delay = 100; ; delay = Math.min(delay * 2, 2 * SECOND)) {
    try {
      return await commitTransition(db, transition);
    } catch (error) {
      if (!isDatabaseUnavailable(error) || Date.now() + delay > deadline || retry.signal?.aborted) throw error;
      log.warn({ err: error, runId: transition.state.id, retryInMs: delay }, 'database unavailable; will commit the transition when it is back');
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

import { isDatabaseUnavailable } from '../../lib/errors.js';
import { retry } from '../../lib/retry.js';
import { SECOND } from '../../lib/time.js';
import { StartRefusedError, type CommittedTransition, type Transition } from '../transitions/transition.js';
import type { TransitionWriter } from '../transitions/transition-writer.js';
import { prepareTransition, type PreparedTransition } from '../transitions/write-transition.js';

/** A transition waits out a database outage from this delay, doubling up to the next. */
const DATABASE_RETRY_FIRST_MS = 100;
const DATABASE_RETRY_MAX_MS = 2 * SECOND;

interface Pending {
  prepared: PreparedTransition;
  resolve: (committed: CommittedTransition) => void;
  reject: (error: unknown) => void;
}

/**
 * A run's transitions, committed in the order they happened, those that pile up while a commit
 * is under way together in one transaction (a step's completion and the next step's start, or
 * the ends of steps that ran side by side): each is taken down when it happens, so it still
 * says what was true then. A database outage is waited out (the state is in memory, nothing is
 * lost while PostgreSQL restarts) for up to `maxWaitMs`.
 */
export class CommitQueue {
  private pending: Pending[] = [];
  private flushing = false;

  constructor(
    private readonly writer: TransitionWriter,
    private readonly options: { maxWaitMs: number; stop: AbortSignal; onDatabaseWait: (error: unknown, retryInMs: number) => void },
  ) {}

  /** Resolves once `transition` is committed; rejects with what stopped it (a lost lease, say). */
  commit(transition: Transition): Promise<CommittedTransition> {
    const prepared = prepareTransition(transition);
    return new Promise((resolve, reject) => {
      this.pending.push({ prepared, resolve, reject });
      // A turn later: what the same turn of the executor queues too goes in the same transaction.
      if (!this.flushing) {
        this.flushing = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0);
      try {
        const committed = await retry(() => this.writer.commitPrepared(batch.map((entry) => entry.prepared)), {
          retries: Number.POSITIVE_INFINITY,
          maxRetryTime: this.options.maxWaitMs,
          minTimeout: DATABASE_RETRY_FIRST_MS,
          maxTimeout: DATABASE_RETRY_MAX_MS,
          shouldRetry: ({ error }) => isDatabaseUnavailable(error) && !this.options.stop.aborted,
          onFailedAttempt: ({ error, retryDelay }) => {
            if (isDatabaseUnavailable(error)) this.options.onDatabaseWait(error, retryDelay);
          },
        });
        batch.forEach((entry, index) => {
          const outcome = committed[index]!;
          if (outcome instanceof StartRefusedError) entry.reject(outcome);
          else entry.resolve(outcome);
        });
      } catch (error) {
        // Nothing after a failed commit may be written: it would describe a state that never was.
        for (const entry of [...batch, ...this.pending.splice(0)]) entry.reject(error);
      }
    }
    this.flushing = false;
  }
}

import type { Logger } from 'pino';
import { AppError, toError } from '../../lib/errors.js';
import type { EventHub } from './event-hub.js';
import type { EventRecord } from './event-record.js';
import { liveStream, TOO_SLOW_LOG_MESSAGE } from './live-stream.js';

export interface TenantEventStreamOptions {
  hub: EventHub;
  tenantId: string;
  /** Replay from the log after this seq; null: start with a SNAPSHOT of the current state. */
  after: number | null;
  /** Events with `after < seq < before` (before unset: all), oldest first. */
  fetch: (after: number, before?: number) => Promise<EventRecord[]>;
  snapshot: () => Promise<EventRecord>;
  log: Logger;
  /** Events it may hold for a subscriber that does not read. */
  bufferEvents: number;
}

/**
 * A tenant's events, gap-free and without duplicates: live events are heard before the replay
 * starts, and every delivery goes through one serial chain that tracks the last seq handed
 * out. An event that arrives ahead of the next expected seq (a notification missed, or the
 * replay still running) makes the stream fetch what lies between from the log first.
 */
export function tenantEventStream(options: TenantEventStreamOptions): AsyncIterableIterator<EventRecord> {
  return liveStream<EventRecord>(options.bufferEvents, ({ owe, give, settle, fail }) => {
    let lastSeq = options.after ?? 0;
    let ended = false;
    let chain: Promise<void> = Promise.resolve();
    const serially = (work: () => Promise<void>) => {
      chain = chain.then(work).catch((error) => {
        options.log.warn({ err: toError(error), tenantId: options.tenantId }, 'subscription could not read the event log; ending it');
        fail(
          error instanceof AppError
            ? error
            : new AppError('INTERNAL_SERVER_ERROR', 'The event stream was interrupted; subscribe again with `after` set to the last seq you received.'),
        );
      });
    };
    // Each event waits until the subscriber has taken the one before: a replay goes at its pace.
    const emit = async (event: EventRecord) => {
      if (event.seq <= lastSeq) return;
      lastSeq = event.seq;
      await give(event);
    };
    const catchUp = async (before?: number) => {
      while (!ended) {
        const events = await options.fetch(lastSeq, before);
        if (events.length === 0) return;
        for (const event of events) await emit(event);
      }
    };

    const unsubscribe = options.hub.subscribeTenant(options.tenantId, (event) => {
      if (!owe()) return;
      serially(async () => {
        try {
          if (event.seq > lastSeq + 1) await catchUp(event.seq);
          await emit(event);
        } finally {
          settle();
        }
      });
    });
    const unresync = options.hub.onResync(() => serially(() => catchUp()));

    serially(async () => {
      if (options.after !== null) return catchUp();
      // The snapshot carries the current seq (0 before any event): live events after it follow.
      const snapshot = await options.snapshot();
      lastSeq = Math.max(lastSeq, snapshot.seq);
      await give(snapshot);
    });
    return () => {
      ended = true;
      unsubscribe();
      unresync();
    };
  }, () => options.log.warn({ tenantId: options.tenantId, bufferEvents: options.bufferEvents }, TOO_SLOW_LOG_MESSAGE));
}

import type { EntityManager } from '@mikro-orm/postgresql';
import type pg from 'pg';
import type { Logger } from 'pino';
import { toError } from '../../lib/errors.js';
import { SECOND } from '../../lib/time.js';
import { inOwnTransaction, statement } from '../db/statement.js';
import type { ExternalEventBus } from './external-bus.js';

/** Events published per transaction. */
const BATCH = 500;
/** How often a relay looks for events other processes left (one that died before publishing). */
export const DEFAULT_RELAY_POLL_MS = 1 * SECOND;

const TAKE = statement(
  'provisioning_outbox_take',
  `DELETE FROM provisioning_event_outbox WHERE id IN (
     SELECT id FROM provisioning_event_outbox ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED)
   RETURNING id, payload`,
);

/**
 * Publishes the events that transitions left in provisioning_event_outbox (with an external bus)
 * and deletes them in the same transaction, committed only once the bus took them: an event is
 * published at least once, in the order it was written, whichever process dies when. This
 * process pokes its relay after each commit; every relay also polls, so events that a process
 * died before publishing go out within a poll interval. SKIP LOCKED lets every replica relay at
 * once without taking the same rows.
 */
export class EventRelay {
  private running: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly options: {
      em: EntityManager;
      bus: ExternalEventBus;
      log: Logger;
      pollIntervalMs?: number;
    },
  ) {}

  start(): void {
    this.timer = setInterval(() => this.poke(), this.options.pollIntervalMs ?? DEFAULT_RELAY_POLL_MS);
    this.poke();
  }

  /** Publishes what is committed now; calls while it runs make one more round after it. */
  poke(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => (this.running = null));
  }

  /** Stops polling, after publishing what is committed (the runs have drained by now). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
    await this.drain();
  }

  private async drain(): Promise<void> {
    const pool: pg.Pool = await this.options.em.getConnection().getNativeClient();
    try {
      do {
        this.again = false;
        let published: number;
        do published = await this.publishBatch(pool);
        while (published === BATCH);
      } while (this.again);
    } catch (error) {
      this.options.log.warn({ err: toError(error) }, 'event relay could not publish; the events wait in the outbox for the next try');
    }
  }

  private publishBatch(pool: pg.Pool): Promise<number> {
    return inOwnTransaction(pool, async (run) => {
      const rows = await run<{ id: string; payload: string }>(TAKE, [BATCH]);
      rows.sort((a, b) => Number(BigInt(a.id) - BigInt(b.id)));
      await this.options.bus.publish(rows.map((row) => row.payload));
      return rows.length;
    });
  }
}

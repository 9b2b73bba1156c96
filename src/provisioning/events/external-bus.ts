import type { EntityManager } from '@mikro-orm/postgresql';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { toError } from '../../lib/errors.js';
import { SECOND } from '../../lib/time.js';

/**
 * An event bus outside PostgreSQL (EVENT_BUS_URL): the relay publishes committed events on it
 * and every replica's hub hears them there, so a transition's commit sends no NOTIFY. The event
 * table stays the source of truth: the bus may lose or repeat an event, and subscribers drop
 * what they already have (by seq) and read what they missed from the table.
 */
export interface ExternalEventBus {
  /** Publishes events (JSON, as subscribers receive them) in this order; rejects if any was not sent. */
  publish(payloads: readonly string[]): Promise<void>;
  /** Hears every event published by any replica; `onRestored` once the bus is back after a loss. */
  listen(onEvent: (payload: string) => void, onRestored: () => void): Promise<void>;
  /** Whether events are heard now (for /readyz). */
  readonly connected: boolean;
  close(): Promise<void>;
}

/** A command the bus does not answer in this long fails (the relay then tries again later). */
const COMMAND_TIMEOUT_MS = 5 * SECOND;

/**
 * Redis publish/subscribe (ioredis), one connection to publish and one to listen, as Redis
 * requires. `channel` is per database: replicas of one deployment share it, other deployments
 * on the same Redis do not hear each other.
 */
export class RedisEventBus implements ExternalEventBus {
  private readonly publisher: Redis;
  private readonly subscriber: Redis;

  constructor(
    url: string,
    private readonly channel: string,
    private readonly log: Logger,
  ) {
    const options = {
      lazyConnect: true,
      commandTimeout: COMMAND_TIMEOUT_MS,
      connectionName: 'provisioning-event-bus',
    };
    this.publisher = new Redis(url, options);
    this.subscriber = new Redis(url, options);
    for (const connection of [this.publisher, this.subscriber]) {
      // ioredis reconnects by itself; without a listener it would print each error to stderr.
      connection.on('error', (error: unknown) => this.log.warn({ err: toError(error) }, 'event bus connection error; reconnecting'));
    }
  }

  get connected(): boolean {
    return this.subscriber.status === 'ready';
  }

  async publish(payloads: readonly string[]): Promise<void> {
    if (payloads.length === 0) return;
    const pipeline = this.publisher.pipeline();
    for (const payload of payloads) pipeline.publish(this.channel, payload);
    for (const [error] of (await pipeline.exec()) ?? []) if (error) throw error;
  }

  async listen(onEvent: (payload: string) => void, onRestored: () => void): Promise<void> {
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.channel) onEvent(message);
    });
    await this.subscriber.connect();
    await this.subscriber.subscribe(this.channel);
    // ioredis subscribes again after a reconnect; what was published meanwhile was not heard.
    this.subscriber.on('ready', onRestored);
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.publisher.quit(), this.subscriber.quit()]);
  }
}

/**
 * The bus channel of this deployment: replicas share a database, so the database names it
 * (and deployments sharing one Redis stay apart).
 */
export async function eventBusChannel(em: EntityManager): Promise<string> {
  const [row] = await em.fork().execute<Array<{ name: string }>>('SELECT current_database() AS name');
  return `provisioning_events:${row!.name}`;
}

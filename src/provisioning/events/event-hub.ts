import type { EntityManager } from '@mikro-orm/postgresql';
import pg from 'pg';
import type { Logger } from 'pino';
import { toError } from '../../lib/errors.js';
import { SECOND } from '../../lib/time.js';
import { retry } from '../../lib/retry.js';
import { RUNS_RELEASED_CHANNEL } from '../db/leases.js';
import { listEvents } from '../db/list-events.js';
import { EVENTS_CHANNEL, type EventRecord } from './event-record.js';

export type EventListener = (event: EventRecord) => void;

/** Told after the LISTEN connection came back: notifications may have been missed meanwhile. */
export type ResyncListener = () => void;

const RECONNECT_FIRST_DELAY_MS = 100;
const RECONNECT_MAX_DELAY_MS = 5 * SECOND;

/**
 * One LISTEN connection per process, fanned out to every local subscriber, so any process
 * hears the events that any other commits. Notifications carry the event itself; an event too
 * large for NOTIFY carries only its key and is loaded once, whoever listens.
 */
export class EventHub {
  private client: pg.Client | null = null;
  private stopped = false;
  private readonly byTenant = new Map<string, Set<EventListener>>();
  private readonly everyTenant = new Set<EventListener>();
  private readonly resyncListeners = new Set<ResyncListener>();
  private readonly releasedListeners = new Set<() => void>();
  private readonly loading = new Map<string, Promise<EventRecord | null>>();

  constructor(private readonly options: { url: string; em: EntityManager; log: Logger }) {}

  get connected(): boolean {
    return this.client !== null;
  }

  async start(): Promise<void> {
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  subscribeTenant(tenantId: string, listener: EventListener): () => void {
    let listeners = this.byTenant.get(tenantId);
    if (!listeners) this.byTenant.set(tenantId, (listeners = new Set()));
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) this.byTenant.delete(tenantId);
    };
  }

  subscribeAll(listener: EventListener): () => void {
    this.everyTenant.add(listener);
    return () => this.everyTenant.delete(listener);
  }

  onResync(listener: ResyncListener): () => void {
    this.resyncListeners.add(listener);
    return () => this.resyncListeners.delete(listener);
  }

  /** Another replica released runs at shutdown: sweep now rather than at the next interval. */
  onRunsReleased(listener: () => void): () => void {
    this.releasedListeners.add(listener);
    return () => this.releasedListeners.delete(listener);
  }

  get subscriberCount(): number {
    let count = this.everyTenant.size;
    for (const listeners of this.byTenant.values()) count += listeners.size;
    return count;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.options.url });
    client.on('notification', (message) => this.onNotification(message.channel, message.payload ?? ''));
    client.on('error', (error) => this.options.log.warn({ err: error }, 'LISTEN connection error'));
    client.on('end', () => this.onDisconnect(client));
    await client.connect();
    await client.query(`LISTEN ${EVENTS_CHANNEL}; LISTEN ${RUNS_RELEASED_CHANNEL}`);
    this.client = client;
  }

  private onDisconnect(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = null;
    if (this.stopped) return;
    this.options.log.warn('LISTEN connection lost; reconnecting');
    void this.reconnect();
  }

  /** Until it is back (or the hub stops): PostgreSQL may be restarting for a while. */
  private async reconnect(): Promise<void> {
    try {
      await retry(
        async () => {
          if (!this.stopped) await this.connect();
        },
        {
          retries: Number.POSITIVE_INFINITY,
          minTimeout: RECONNECT_FIRST_DELAY_MS,
          maxTimeout: RECONNECT_MAX_DELAY_MS,
          shouldRetry: () => !this.stopped,
          onFailedAttempt: ({ error }) => this.options.log.debug({ err: toError(error) }, 'LISTEN reconnect failed; will try again'),
        },
      );
    } catch {
      return; // stopped meanwhile
    }
    if (this.stopped) return;
    this.options.log.info('LISTEN connection restored');
    for (const listener of this.resyncListeners) listener();
  }

  private onNotification(channel: string, payload: string): void {
    if (channel === RUNS_RELEASED_CHANNEL) {
      for (const listener of this.releasedListeners) listener();
      return;
    }
    let parsed: Partial<EventRecord> & { tenantId: string; seq: number };
    try {
      parsed = JSON.parse(payload);
    } catch {
      this.options.log.warn({ payload: payload.slice(0, 200) }, 'ignoring a malformed provisioning notification');
      return;
    }
    if (parsed.type) {
      this.deliver(parsed as EventRecord);
      return;
    }
    void this.load(parsed.tenantId, parsed.seq).then((event) => event && this.deliver(event));
  }

  private load(tenantId: string, seq: number): Promise<EventRecord | null> {
    const key = `${tenantId}:${seq}`;
    let loading = this.loading.get(key);
    if (!loading) {
      loading = listEvents(this.options.em.fork(), tenantId, seq - 1, 1)
        .then((events) => events[0] ?? null)
        .catch((error) => {
          this.options.log.warn({ err: toError(error), tenantId, seq }, 'could not load a notified event; subscribers catch up on the next one');
          return null;
        })
        .finally(() => this.loading.delete(key));
      this.loading.set(key, loading);
    }
    return loading;
  }

  private deliver(event: EventRecord): void {
    for (const listener of this.byTenant.get(event.tenantId) ?? []) listener(event);
    for (const listener of this.everyTenant) listener(event);
  }
}

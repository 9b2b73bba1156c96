import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { toError } from '../../lib/errors.js';
import { RUNS_RELEASED_CHANNEL } from '../db/leases.js';
import { listEvents } from '../db/list-events.js';
import { EventType } from '../model.js';
import { EVENTS_CHANNEL, type EventRecord } from './event-record.js';
import type { ExternalEventBus } from './external-bus.js';
import { ListenConnection } from './listen-connection.js';

export type EventListener = (event: EventRecord) => void;

const RUN_END_EVENTS: ReadonlySet<EventType> = new Set([EventType.RUN_COMPLETED, EventType.RUN_PARTIAL, EventType.RUN_FAILED, EventType.RUN_CANCELLED]);

/** Told after the LISTEN connection came back: notifications may have been missed meanwhile. */
export type ResyncListener = () => void;

/**
 * One LISTEN connection per process, fanned out to every local subscriber, so any process
 * hears the events that any other commits. Notifications carry the event itself; an event too
 * large for NOTIFY carries only its key and is loaded once, whoever listens.
 */
export class EventHub {
  private readonly connection: ListenConnection;
  private readonly byTenant = new Map<string, Set<EventListener>>();
  private readonly everyTenant = new Set<EventListener>();
  private readonly resyncListeners = new Set<ResyncListener>();
  private readonly releasedListeners = new Set<() => void>();
  private readonly runEndedListeners = new Set<() => void>();
  private readonly loading = new Map<string, Promise<EventRecord | null>>();
  private readonly live = new WeakSet<object>();

  constructor(
    private readonly options: {
      url: string;
      em: EntityManager;
      log: Logger;
      probeIntervalMs?: number;
      /** Where events travel when not by NOTIFY (EVENT_BUS_URL). */
      bus?: ExternalEventBus;
    },
  ) {
    this.connection = new ListenConnection({
      url: options.url,
      channels: options.bus ? [RUNS_RELEASED_CHANNEL] : [EVENTS_CHANNEL, RUNS_RELEASED_CHANNEL],
      log: options.log,
      probeIntervalMs: options.probeIntervalMs,
      onNotification: (channel, payload) => this.onNotification(channel, payload),
      onRestored: () => this.resync(),
    });
  }

  /** Whether notifications arrive (for /readyz). */
  get connected(): boolean {
    return this.connection.connected && (this.options.bus?.connected ?? true);
  }

  async start(): Promise<void> {
    await this.connection.start();
    await this.options.bus?.listen(
      (payload) => this.onNotification(EVENTS_CHANNEL, payload),
      () => this.resync(),
    );
  }

  /** Whatever was committed while a connection was away, every subscriber reads from the log. */
  private resync(): void {
    this.resyncListeners.forEach((listener) => listener());
  }

  stop(): Promise<void> {
    return this.connection.stop();
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

  /** A run ended on any replica: its slot is free, so a queued run may go. */
  onRunEnded(listener: () => void): () => void {
    this.runEndedListeners.add(listener);
    return () => this.runEndedListeners.delete(listener);
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

  /** Whether `event` came live from the hub (not replayed from the log, not a snapshot). */
  isLive(event: unknown): event is EventRecord {
    return typeof event === 'object' && event !== null && this.live.has(event);
  }

  private deliver(event: EventRecord): void {
    this.live.add(event);
    if (RUN_END_EVENTS.has(event.type)) for (const listener of this.runEndedListeners) listener();
    for (const listener of this.byTenant.get(event.tenantId) ?? []) listener(event);
    for (const listener of this.everyTenant) listener(event);
  }
}

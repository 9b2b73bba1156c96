import type { ProvisioningEvent, TenantFieldsFragment } from '../../../../client/src/index.js';
import { newestRun } from './newest-run.js';
import type { Run } from './use-run.js';

/** A tenant as a query answers it, with its latest run (null: never provisioned). */
export type TenantWithRun = Pick<TenantFieldsFragment, 'id' | 'name' | 'createdAt'> & { provisioning: Run | null };

export interface FleetTenant {
  id: string;
  name: string;
  createdAt: string;
  /** The newest state of the latest run seen, from a query or an event; null: never provisioned. */
  run: Run | null;
  /** The last event seen live, as "TYPE: message". */
  lastEvent?: string;
  /** When its run last joined the queue, from a RUN_QUEUED event seen live (queue-order.ts). */
  queuedAt?: string;
}

/** Tenants by id, a new map after every change (React compares snapshots by identity). */
export type FleetSnapshot = ReadonlyMap<string, FleetTenant>;

type Early = Pick<FleetTenant, 'run' | 'lastEvent' | 'queuedAt'>;

/**
 * Every tenant of the platform and its latest run, kept current by activity events: the state a
 * platform admin's page shows in its counts, table and activity list. Queries and events may
 * arrive in any order, so each tenant keeps whichever state is newest by lastEventSeq. An event
 * about a tenant no query has answered yet (created elsewhere, or on a page not loaded yet) is
 * held until its tenant arrives: its name is not in the event.
 */
export class Fleet {
  private tenants = new Map<string, FleetTenant>();
  private early = new Map<string, Early>();
  private fetching = new Set<string>();
  private loaded = false;
  private snapshot: FleetSnapshot = new Map();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly fetchTenant: (tenantId: string) => Promise<TenantWithRun | null>) {}

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): FleetSnapshot => this.snapshot;

  add(nodes: readonly TenantWithRun[]): void {
    for (const node of nodes) {
      const current = this.tenants.get(node.id);
      const early = this.early.get(node.id);
      this.early.delete(node.id);
      const run = newestRun(newestRun(current?.run ?? null, node.provisioning), early?.run ?? null);
      const lastEvent = early?.lastEvent ?? current?.lastEvent;
      const queuedAt = early?.queuedAt ?? current?.queuedAt;
      this.tenants.set(node.id, { id: node.id, name: node.name, createdAt: node.createdAt, run, ...(lastEvent && { lastEvent }), ...(queuedAt && { queuedAt }) });
    }
    this.changed();
  }

  apply(event: ProvisioningEvent): void {
    const lastEvent = `${event.type}: ${event.message}`;
    const queued = event.type === 'RUN_QUEUED' ? { queuedAt: event.at } : {};
    const current = this.tenants.get(event.tenantId);
    if (current) {
      this.tenants.set(event.tenantId, { ...current, run: newestRun(current.run, event.provisioning), lastEvent, ...queued });
      return this.changed();
    }
    const early = this.early.get(event.tenantId);
    this.early.set(event.tenantId, { ...early, run: newestRun(early?.run ?? null, event.provisioning), lastEvent, ...queued });
    // While the first load runs, the tenant is most likely on a page still to come.
    if (this.loaded) this.fetchUnknown(event.tenantId);
  }

  /** The first load has read every page: tenants events named that it did not list are fetched one by one. */
  finishLoading(): void {
    this.loaded = true;
    for (const tenantId of this.early.keys()) this.fetchUnknown(tenantId);
  }

  private fetchUnknown(tenantId: string): void {
    if (this.fetching.has(tenantId)) return;
    this.fetching.add(tenantId);
    this.fetchTenant(tenantId)
      // null: the tenant is gone (deleted since its event), so nothing is kept for it.
      .then((tenant) => (tenant ? this.add([tenant]) : this.early.delete(tenantId)))
      // A tenant that cannot be read now is fetched again on its next event.
      .catch(() => undefined)
      .finally(() => this.fetching.delete(tenantId));
  }

  private changed(): void {
    this.snapshot = new Map(this.tenants);
    for (const listener of this.listeners) listener();
  }
}

import type { ProvisioningEvent } from '../entities/provisioning-event.entity.js';
import { RunKind, type EventType, type StepKey } from '../model.js';
import type { ProvisioningView } from '../run-view.js';

/** The channel every committed transition NOTIFYs on, with its event (or a reference to it). */
export const EVENTS_CHANNEL = 'provisioning_events';

/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more; larger events travel by reference. */
export const MAX_NOTIFY_BYTES = 7900;

/** A provisioning event as subscribers receive it: GraphQL `ProvisioningEvent`. */
export interface EventRecord {
  tenantId: string;
  seq: number;
  runId: string | null;
  type: EventType;
  step: StepKey | null;
  message: string;
  /** ISO 8601, PostgreSQL's clock at the transaction that wrote the event. */
  at: string;
  provisioning: ProvisioningView | null;
}

export function toEventRecord(event: ProvisioningEvent): EventRecord {
  return {
    tenantId: event.tenant.id,
    seq: event.seq,
    runId: event.run?.id ?? null,
    type: event.type,
    step: event.step,
    message: event.message,
    at: event.at.toISOString(),
    provisioning: stateOf(event.payload?.provisioning ?? null),
  };
}

/** Events stored before runs had a kind (migration 0008) are all of provisioning runs. */
function stateOf(stored: ProvisioningView | null): ProvisioningView | null {
  return stored && { ...stored, kind: stored.kind ?? RunKind.PROVISION, deprovisionMode: stored.deprovisionMode ?? null };
}

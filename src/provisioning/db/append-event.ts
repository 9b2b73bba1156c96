import { EventType, StepKey } from '../model.js';
import type { ProvisioningView } from '../run-state.js';
import type { Sql } from './sql.js';

export const EVENTS_CHANNEL = 'provisioning_events';

/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more; larger events travel by reference. */
export const MAX_NOTIFY_BYTES = 7900;

export interface EventRecord {
  tenantId: string;
  seq: number;
  runId: string | null;
  type: EventType;
  step: StepKey | null;
  message: string;
  at: string;
  provisioning: ProvisioningView | null;
}

/**
 * Appends an event in the caller's transaction. The tenant row's UPDATE takes its lock, so the
 * seq is gap-free and in commit order per tenant; NOTIFY is delivered only if the transaction
 * commits, so nobody hears of an event that was rolled back.
 */
export async function appendEvent(
  sql: Sql,
  input: { tenantId: string; runId: string | null; type: EventType; step?: StepKey | null; message: string; view: (seq: number) => ProvisioningView | null },
): Promise<EventRecord> {
  const [bumped] = await sql<{ seq: number; at: Date }>(
    `UPDATE tenant SET last_event_seq = last_event_seq + 1, updated_at = now() WHERE id = ? RETURNING last_event_seq AS seq, now() AS at`,
    [input.tenantId],
  );
  if (!bumped) throw new Error(`Tenant ${input.tenantId} disappeared while recording provisioning event ${input.type}.`);
  const event: EventRecord = {
    tenantId: input.tenantId,
    seq: bumped.seq,
    runId: input.runId,
    type: input.type,
    step: input.step ?? null,
    message: input.message,
    at: new Date(bumped.at).toISOString(),
    provisioning: input.view(bumped.seq),
  };
  await sql(`INSERT INTO provisioning_event (tenant_id, seq, run_id, type, step, message, payload, at) VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?)`, [
    event.tenantId,
    event.seq,
    event.runId,
    event.type,
    event.step,
    event.message,
    JSON.stringify({ provisioning: event.provisioning }),
    event.at,
  ]);
  const full = JSON.stringify(event);
  const payload = Buffer.byteLength(full) < MAX_NOTIFY_BYTES ? full : JSON.stringify({ tenantId: event.tenantId, seq: event.seq });
  await sql(`SELECT pg_notify(?, ?)`, [EVENTS_CHANNEL, payload]);
  return event;
}

import type { EntityManager } from '@mikro-orm/postgresql';
import type { EventType, StepKey } from '../model.js';
import type { ProvisioningView } from '../run-state.js';
import type { EventRecord } from './append-event.js';
import { sqlOf } from './sql.js';

interface EventRow {
  tenant_id: string;
  seq: number;
  run_id: string | null;
  type: EventType;
  step: StepKey | null;
  message: string;
  payload: { provisioning: ProvisioningView | null };
  at: Date;
}

/** Events of a tenant with `seq > after`, oldest first, at most `limit` (0 = all). */
export async function listEvents(em: EntityManager, tenantId: string, after: number, limit: number, before?: number): Promise<EventRecord[]> {
  const rows = await sqlOf(em)<EventRow>(
    `SELECT tenant_id, seq, run_id, type, step, message, payload, at FROM provisioning_event
      WHERE tenant_id = ? AND seq > ?${before !== undefined ? ' AND seq < ?' : ''}
      ORDER BY seq${limit > 0 ? ' LIMIT ?' : ''}`,
    [tenantId, after, ...(before !== undefined ? [before] : []), ...(limit > 0 ? [limit] : [])],
  );
  return rows.map(toEventRecord);
}

export function toEventRecord(row: EventRow): EventRecord {
  return {
    tenantId: row.tenant_id,
    seq: row.seq,
    runId: row.run_id,
    type: row.type,
    step: row.step,
    message: row.message,
    at: new Date(row.at).toISOString(),
    provisioning: row.payload?.provisioning ?? null,
  };
}

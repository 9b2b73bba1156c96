import { TenantProvisioningStatus } from '../../tenants/tenant.entity.js';
import type { Sql } from './sql.js';

export async function updateTenantStatus(
  sql: Sql,
  tenantId: string,
  status: TenantProvisioningStatus,
  error: string | null,
): Promise<void> {
  await sql(
    `UPDATE tenant SET provisioning_status = ?, provisioning_error = ?,
            provisioned_at = CASE WHEN ? THEN now() ELSE provisioned_at END, updated_at = now()
      WHERE id = ?`,
    [status, error, status === TenantProvisioningStatus.PROVISIONED, tenantId],
  );
}

/** Locks the tenant row for the caller's transaction: commands on one tenant run one at a time. */
export async function lockTenant(sql: Sql, tenantId: string): Promise<{ status: TenantProvisioningStatus; lastEventSeq: number } | null> {
  const [row] = await sql<{ provisioning_status: TenantProvisioningStatus; last_event_seq: number }>(
    `SELECT provisioning_status, last_event_seq FROM tenant WHERE id = ? FOR UPDATE`,
    [tenantId],
  );
  return row ? { status: row.provisioning_status, lastEventSeq: row.last_event_seq } : null;
}

import type { EntityManager } from '@mikro-orm/postgresql';
import { StepStatus, type StepKey } from '../model.js';

/**
 * Tenants whose latest run has a FAILED step (of `step`, with `errorCode`, when given): what an
 * operator asks for after an outage. SQL, because "the latest run of each tenant" has no entity
 * spelling.
 */
export async function tenantsWithFailedStep(em: EntityManager, criteria: { step?: StepKey | null; errorCode?: string | null }): Promise<string[]> {
  const rows = await em.execute<Array<{ tenant_id: string }>>(
    `SELECT DISTINCT r.tenant_id FROM provisioning_run r
       JOIN provisioning_step s ON s.run_id = r.id AND s.status = ?
      WHERE NOT EXISTS (SELECT 1 FROM provisioning_run later
                         WHERE later.tenant_id = r.tenant_id AND (later.started_at, later.created_at) > (r.started_at, r.created_at))
        AND (?::text IS NULL OR s.key = ?) AND (?::text IS NULL OR s.error_code = ?)`,
    [StepStatus.FAILED, criteria.step ?? null, criteria.step ?? null, criteria.errorCode ?? null, criteria.errorCode ?? null],
  );
  return rows.map((row) => row.tenant_id);
}

import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { currencyFor } from '../../lib/countries.js';
import { AppError, isUniqueViolation } from '../../lib/errors.js';
import { badInput } from '../../lib/validation.js';
import { STANDARD_CHART_NAMES } from '../../engine/standard-chart.js';
import { TenantProvisioningStatus } from '../../tenants/tenant.entity.js';
import { appendEvent } from '../db/append-event.js';
import { insertRun } from '../db/insert-run.js';
import { loadLatestRun } from '../db/load-run.js';
import { inTransaction } from '../db/sql.js';
import { lockTenant, updateTenantStatus } from '../db/update-tenant-status.js';
import { ACTIVE_RUN_STATUSES, EventType, ProvisioningType, type RunConfig } from '../model.js';
import { newRunState, toView, type ProvisioningView, type RunState } from '../run-state.js';
import { runInProgress, tenantNotFound } from './errors.js';

export interface StartOptions {
  type?: ProvisioningType | null;
  includeDemoData?: boolean | null;
  posStoreEnabled?: boolean | null;
  countryTemplate?: string | null;
}

export interface Lease {
  owner: string;
  ms: number;
}

/** Resolves the defaults of StartProvisioningInput (DESIGN.md section 6). */
export function resolveRunConfig(countryCode: string, options: StartOptions): { type: ProvisioningType; config: RunConfig } {
  const type = options.type ?? ProvisioningType.FULL_POS;
  const countryTemplate = options.countryTemplate ?? 'Standard';
  if (!(STANDARD_CHART_NAMES as readonly string[]).includes(countryTemplate)) {
    throw badInput('countryTemplate', `"${countryTemplate.slice(0, 60)}" is not a chart offered for this country; use one of: ${STANDARD_CHART_NAMES.join(', ')}.`);
  }
  return {
    type,
    config: {
      includeDemoData: options.includeDemoData ?? false,
      posStoreEnabled: options.posStoreEnabled ?? true,
      countryTemplate,
      currency: currencyFor(countryCode),
    },
  };
}

/** Writes the run, its steps and RUN_STARTED in one transaction, leased to the caller. */
export async function startRun(em: EntityManager, input: { tenantId: string; options: StartOptions; actor: string; lease: Lease }): Promise<{ state: RunState; view: ProvisioningView }> {
  try {
    return await inTransaction(em, async (sql) => {
      const tenant = await lockTenant(sql, input.tenantId);
      if (!tenant) throw tenantNotFound(input.tenantId);
      if (tenant.status === TenantProvisioningStatus.PROVISIONED) {
        throw new AppError('CONFLICT', 'This tenant is already provisioned. Use retryProvisioning(step:) to re-run a step.', { tenantId: input.tenantId });
      }
      const latest = await loadLatestRun(sql, input.tenantId);
      if (latest && ACTIVE_RUN_STATUSES.includes(latest.state.status)) throw runInProgress(latest.state.id);
      const [countryRow] = await sql<{ country_code: string }>(`SELECT country_code FROM tenant WHERE id = ?`, [input.tenantId]);
      const { type, config } = resolveRunConfig(countryRow!.country_code, input.options);
      const state = newRunState({ id: randomUUID(), tenantId: input.tenantId, type, config, now: new Date() });
      await insertRun(sql, state, input.lease, input.actor);
      const event = await appendEvent(sql, {
        tenantId: input.tenantId,
        runId: state.id,
        type: EventType.RUN_STARTED,
        message: `Provisioning started by ${input.actor}`,
        view: (seq) => toView(state, seq),
      });
      await updateTenantStatus(sql, input.tenantId, TenantProvisioningStatus.PROVISIONING, null);
      return { state, view: event.provisioning! };
    });
  } catch (error) {
    if (isUniqueViolation(error, 'provisioning_run_one_active_per_tenant')) {
      throw new AppError('CONFLICT', 'A provisioning run is already in progress for this tenant.', { tenantId: input.tenantId });
    }
    throw error;
  }
}

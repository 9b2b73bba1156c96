import type { EntityManager } from '@mikro-orm/postgresql';
import { currencyFor } from '../../lib/countries.js';
import { AppError, isUniqueViolation } from '../../lib/errors.js';
import { badInput } from '../../lib/validation.js';
import { STANDARD_CHART_NAMES } from '../../engine/standard-chart.js';
import { TenantProvisioningStatus } from '../../tenants/model.js';
import { lockTenant } from '../db/lock-tenant.js';
import { ProvisioningRun } from '../entities/provisioning-run.entity.js';
import { ACTIVE_RUN_STATUSES, ProvisioningTemplate, ProvisioningType, type RunConfig } from '../model.js';
import type { ProvisioningView } from '../run-view.js';
import { createRun } from '../runs.js';
import type { RecordTransition, TransitionWriter } from '../transitions/transition-writer.js';
import { admitOrQueue, type Admission, type Schedule } from './admit.js';
import { runInProgress, tenantNotFound } from './errors.js';

export interface StartOptions extends Schedule {
  template?: ProvisioningTemplate | null;
  /** The first contract's name for the template. */
  type?: ProvisioningType | null;
  includeDemoData?: boolean | null;
  posStoreEnabled?: boolean | null;
  countryTemplate?: string | null;
}

/** `type` as the template it stands for (CUSTOM never meant more than the whole plan). */
const TEMPLATE_OF_TYPE: Record<ProvisioningType, ProvisioningTemplate> = {
  [ProvisioningType.FULL_POS]: ProvisioningTemplate.FULL_POS,
  [ProvisioningType.BASIC]: ProvisioningTemplate.BASIC,
  [ProvisioningType.CUSTOM]: ProvisioningTemplate.FULL_POS,
};

/** What `Provisioning.type` says of a run started from a template (the business ones are custom plans). */
const TYPE_OF_TEMPLATE: Record<ProvisioningTemplate, ProvisioningType> = {
  [ProvisioningTemplate.FULL_POS]: ProvisioningType.FULL_POS,
  [ProvisioningTemplate.BASIC]: ProvisioningType.BASIC,
  [ProvisioningTemplate.RETAIL]: ProvisioningType.CUSTOM,
  [ProvisioningTemplate.SERVICES]: ProvisioningType.CUSTOM,
};

/** Resolves the defaults of StartProvisioningInput: `template`, or the template its older alias `type` stands for. */
export function resolveRunConfig(
  countryCode: string,
  options: StartOptions,
): { type: ProvisioningType; template: ProvisioningTemplate; config: RunConfig } {
  const template = options.template ?? (options.type ? TEMPLATE_OF_TYPE[options.type] : ProvisioningTemplate.FULL_POS);
  const type = options.type ?? TYPE_OF_TEMPLATE[template];
  if (options.type && options.template && TYPE_OF_TEMPLATE[template] !== type && TEMPLATE_OF_TYPE[type] !== template) {
    throw badInput('template', `type ${type} and template ${template} disagree; give only template (type is its older name).`);
  }
  const countryTemplate = options.countryTemplate ?? 'Standard';
  if (!(STANDARD_CHART_NAMES as readonly string[]).includes(countryTemplate)) {
    throw badInput('countryTemplate', `"${countryTemplate.slice(0, 60)}" is not a chart offered for this country; use one of: ${STANDARD_CHART_NAMES.join(', ')}.`);
  }
  return {
    type,
    template,
    config: {
      includeDemoData: options.includeDemoData ?? false,
      posStoreEnabled: options.posStoreEnabled ?? true,
      countryTemplate,
      currency: currencyFor(countryCode),
    },
  };
}

export interface StartInput {
  tenantId: string;
  options: StartOptions;
  actor: string;
  admission: Admission;
}

/**
 * Writes the run and its steps in the caller's transaction `tx`, executing at once (leased to
 * the caller) or queued, with its event. Part of a larger transaction when a tenant is created
 * with autoStart.
 */
export async function startRunIn(tx: EntityManager, record: RecordTransition, input: StartInput): Promise<{ view: ProvisioningView; admitted: boolean }> {
  const tenant = await lockTenant(tx, input.tenantId);
  if (!tenant) throw tenantNotFound(input.tenantId);
  if (tenant.provisioningStatus === TenantProvisioningStatus.PROVISIONED) {
    throw new AppError('CONFLICT', 'This tenant is already provisioned. Use retryProvisioning(step:) to re-run a step.', { tenantId: input.tenantId });
  }
  const active = await tx.findOne(ProvisioningRun, { tenant: input.tenantId, status: { $in: [...ACTIVE_RUN_STATUSES] } }, { fields: ['id'] });
  if (active) throw runInProgress(active.id);
  const { type, template, config } = resolveRunConfig(tenant.countryCode, input.options);
  const run = createRun(tx, { tenantId: input.tenantId, type, template, config, startedBy: input.actor });
  await tx.flush();
  // The tenant is PROVISIONING from acceptance on, whether its run executes or waits.
  const recordAccepted: RecordTransition = (transition) => record({ ...transition, tenant: { status: TenantProvisioningStatus.PROVISIONING, error: null } });
  return admitOrQueue(tx, recordAccepted, run, { admission: input.admission, schedule: input.options, accepted: `Provisioning started by ${input.actor}` });
}

/** startProvisioning: the run and its first event in one transaction of its own. */
export async function startRun(writer: TransitionWriter, em: EntityManager, input: StartInput): Promise<{ view: ProvisioningView; admitted: boolean }> {
  try {
    return await writer.transaction(em, (tx, record) => startRunIn(tx, record, input));
  } catch (error) {
    throw conflictOnSecondActiveRun(error, input.tenantId);
  }
}

/** Two starts that raced past the check meet the partial unique index: the loser gets CONFLICT. */
export function conflictOnSecondActiveRun(error: unknown, tenantId: string): unknown {
  if (!isUniqueViolation(error, 'provisioning_run_one_active_per_tenant')) return error;
  return new AppError('CONFLICT', 'A provisioning run is already in progress for this tenant.', { tenantId });
}

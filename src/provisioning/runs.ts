import type { EntityManager } from '@mikro-orm/postgresql';
import { ProvisioningRun } from './entities/provisioning-run.entity.js';
import { ProvisioningStep } from './entities/provisioning-step.entity.js';
import { ProvisioningType, RunStatus, StepKey, StepStatus, type RunConfig } from './model.js';
import { PLAN } from './plan/index.js';

const DONE: ReadonlySet<StepStatus> = new Set([StepStatus.COMPLETED, StepStatus.SKIPPED]);

export const isStepDone = (step: ProvisioningStep) => DONE.has(step.status);

/** The run's steps in plan order (the collection is loaded with the run). */
export function stepsOf(run: ProvisioningRun): ProvisioningStep[] {
  return run.steps.getItems();
}

export function stepOf(run: ProvisioningRun, key: StepKey): ProvisioningStep {
  return stepsOf(run).find((step) => step.key === key)!;
}

export function firstUnfinishedStep(run: ProvisioningRun): ProvisioningStep | undefined {
  return stepsOf(run).find((step) => !isStepDone(step));
}

/**
 * A new run of the whole plan at its first step, managed by `em` (flush inserts it). It is
 * QUEUED until admission decides, in the same transaction, whether it executes at once.
 */
export function createRun(em: EntityManager, input: { tenantId: string; type: ProvisioningType; config: RunConfig; startedBy: string }): ProvisioningRun {
  const run = em.create(ProvisioningRun, {
    tenant: input.tenantId,
    type: input.type,
    config: input.config,
    status: RunStatus.QUEUED,
    currentStep: PLAN[0]!.key,
    startedBy: input.startedBy,
  });
  run.steps.set(PLAN.map((definition, index) => em.create(ProvisioningStep, { run, key: definition.key, index })));
  return run;
}

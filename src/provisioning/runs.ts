import type { EntityManager } from '@mikro-orm/postgresql';
import { ProvisioningRun } from './entities/provisioning-run.entity.js';
import { ProvisioningStep } from './entities/provisioning-step.entity.js';
import { ProvisioningTemplate, ProvisioningType, RunStatus, StepKey, StepStatus, type RunConfig } from './model.js';
import { planOf } from './plan/template.js';
import { templateOf } from './plan/templates/index.js';

const DONE: ReadonlySet<StepStatus> = new Set([StepStatus.COMPLETED, StepStatus.SKIPPED]);

export const isStepDone = (step: ProvisioningStep) => DONE.has(step.status);

/** The run's steps in plan order (the collection is loaded with the run). */
export function stepsOf(run: ProvisioningRun): ProvisioningStep[] {
  return run.steps.getItems();
}

export function stepOf(run: ProvisioningRun, key: StepKey): ProvisioningStep | undefined {
  return stepsOf(run).find((step) => step.key === key);
}

export function firstUnfinishedStep(run: ProvisioningRun): ProvisioningStep | undefined {
  return stepsOf(run).find((step) => !isStepDone(step));
}

/** Steps under way (started, or waiting to retry), in plan order. */
export function runningSteps(run: ProvisioningRun): ProvisioningStep[] {
  return stepsOf(run).filter((step) => step.status === StepStatus.RUNNING || step.status === StepStatus.RETRYING);
}

/**
 * A new run of `template`, at its first step, managed by `em` (flush inserts it), with the
 * template's steps stored in it. It is QUEUED until admission decides, in the same
 * transaction, whether it executes at once.
 */
export function createRun(
  em: EntityManager,
  input: { tenantId: string; type: ProvisioningType; template: ProvisioningTemplate; config: RunConfig; startedBy: string },
): ProvisioningRun {
  const plan = planOf(templateOf(input.template));
  const run = em.create(ProvisioningRun, {
    tenant: input.tenantId,
    type: input.type,
    template: input.template,
    config: input.config,
    status: RunStatus.QUEUED,
    currentStep: plan[0]!.key,
    startedBy: input.startedBy,
  });
  run.steps.set(plan.map((step) => em.create(ProvisioningStep, { run, key: step.key, index: step.index, dependsOn: step.dependsOn, input: step.input })));
  return run;
}

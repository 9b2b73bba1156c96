import type { EntityManager } from '@mikro-orm/postgresql';
import { ProvisioningRun } from './entities/provisioning-run.entity.js';
import { ProvisioningStep } from './entities/provisioning-step.entity.js';
import { RunKind, RunStatus, StepStatus, type DeprovisionMode, type ProvisioningTemplate, type ProvisioningType, type Resources, type RunConfig, type StepKey } from './model.js';
import { planOf, type Plan } from './plan/template.js';
import { deprovisionTemplateOf, templateOf } from './plan/templates/index.js';

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
  return newRun(em, templateOf(input.template), input);
}

/**
 * A new deprovisioning of `mode`, QUEUED like a new run. It names the provisioning it takes down
 * by that one's template, type and config, and holds what it takes down (`resources`) itself:
 * nothing it does depends on reading another run again, however often it is resumed.
 */
export function createDeprovisionRun(
  em: EntityManager,
  input: { tenantId: string; mode: DeprovisionMode; provisioned: Pick<ProvisioningRun, 'type' | 'template' | 'config'>; resources: Resources; startedBy: string },
): ProvisioningRun {
  const { type, template, config } = input.provisioned;
  return newRun(em, deprovisionTemplateOf(input.mode), {
    tenantId: input.tenantId,
    type,
    template,
    config,
    startedBy: input.startedBy,
    kind: RunKind.DEPROVISION,
    deprovisionMode: input.mode,
    resources: input.resources,
  });
}

function newRun(
  em: EntityManager,
  source: Plan,
  fields: { tenantId: string; type: ProvisioningType; template: ProvisioningTemplate; config: RunConfig; startedBy: string } & Partial<
    Pick<ProvisioningRun, 'kind' | 'deprovisionMode' | 'resources'>
  >,
): ProvisioningRun {
  const plan = planOf(source);
  const { tenantId, ...rest } = fields;
  const run = em.create(ProvisioningRun, { ...rest, tenant: tenantId, status: RunStatus.QUEUED, currentStep: plan[0]!.key });
  run.steps.set(plan.map((step) => em.create(ProvisioningStep, { run, key: step.key, index: step.index, dependsOn: step.dependsOn, input: step.input })));
  return run;
}

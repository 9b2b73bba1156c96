import type { ProvisioningRun } from '../entities/provisioning-run.entity.js';
import type { ProvisioningStep } from '../entities/provisioning-step.entity.js';
import { StepCriticality, StepStatus } from '../model.js';
import type { StepCatalogue } from '../plan/index.js';
import { isStepDone, stepsOf } from '../runs.js';

/**
 * Steps that may start now, in plan order: not done, not failed (a failed step waits for a
 * person to retry, continue or skip it), not running, and every step they depend on finished:
 * done, or failed without stopping the run (a non-critical step's failure is recorded and the
 * run goes on). A step left RUNNING or RETRYING by a process that died is started again.
 */
export function readySteps(run: ProvisioningRun, running: Iterable<ProvisioningStep>, catalogue: StepCatalogue): ProvisioningStep[] {
  const steps = stepsOf(run);
  const busy = new Set(running);
  const done = new Set(steps.filter((step) => isStepDone(step) || failedWithoutStoppingTheRun(step, catalogue)).map((step) => step.key));
  return steps.filter(
    (step) => !isStepDone(step) && step.status !== StepStatus.FAILED && !busy.has(step) && step.dependsOn.every((key) => done.has(key)),
  );
}

/** Steps the run stored that this version of the service does not know. */
export function unknownSteps(run: ProvisioningRun, catalogue: StepCatalogue): ProvisioningStep[] {
  return stepsOf(run).filter((step) => !isStepDone(step) && step.status !== StepStatus.FAILED && !catalogue(step.key));
}

function failedWithoutStoppingTheRun(step: ProvisioningStep, catalogue: StepCatalogue): boolean {
  const criticality = catalogue(step.key)?.criticality;
  return step.status === StepStatus.FAILED && criticality !== undefined && criticality !== StepCriticality.CRITICAL;
}

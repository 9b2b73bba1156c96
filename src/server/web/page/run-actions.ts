import type { ProvisioningFieldsFragment, RunStatus, StepStatus } from '../../../../client/src/index.js';

type Step = ProvisioningFieldsFragment['steps'][number];

const ACTIVE: RunStatus[] = ['PENDING', 'IN_PROGRESS'];
const STOPPED: RunStatus[] = ['FAILED', 'PARTIAL', 'CANCELLED'];
const DONE: StepStatus[] = ['COMPLETED', 'SKIPPED'];

/** Which buttons the service would accept now (the same rules the mutations apply). */
export function allowedActions(run: ProvisioningFieldsFragment | null) {
  return {
    start: run === null,
    cancel: run !== null && ACTIVE.includes(run.status),
    retry: run !== null && STOPPED.includes(run.status),
    continue: run !== null && STOPPED.includes(run.status),
  };
}

export function canSkip(run: ProvisioningFieldsFragment, step: Step): boolean {
  return STOPPED.includes(run.status) && step.skippable && !DONE.includes(step.status);
}

import type { ProvisioningRun } from './entities/provisioning-run.entity.js';
import type { ProvisioningStep } from './entities/provisioning-step.entity.js';
import { type ProvisioningType, type Resources, type RunConfig, type RunStatus, StepCriticality, type StepKey, StepStatus } from './model.js';
import { PLAN, TOTAL_STEPS, isSkippable, stepDefinition } from './plan/index.js';
import type { StepDefinition } from './plan/step-definition.js';
import { isStepDone, stepsOf } from './runs.js';

/**
 * What clients see of a run (GraphQL `Provisioning`, and each event's `provisioning`): the run
 * plus what is derived from it, dates as ISO strings. Stored with every event, so a replayed
 * event shows the state as it was then.
 */
export interface ProvisioningView {
  id: string;
  tenantId: string;
  type: ProvisioningType;
  config: RunConfig;
  status: RunStatus;
  currentStep: StepKey | null;
  resources: Resources;
  startedAt: string;
  completedAt: string | null;
  progress: number;
  stepsCompleted: number;
  totalSteps: number;
  lastEventSeq: number;
  /** 1 for the head of the queue while QUEUED, else null (computed when read). */
  queuePosition?: number | null;
  priority: number;
  runAt: string | null;
  steps: StepView[];
  errors: Array<{ step: StepKey; code: string | null; message: string; at: string | null }>;
}

export interface StepView {
  key: StepKey;
  index: number;
  title: string;
  criticality: StepCriticality;
  skippable: boolean;
  /** Per attempt, in milliseconds (GraphQL `ProvisioningStep.timeoutMs` is non-null). */
  timeoutMs: number;
  status: StepStatus;
  attempts: number;
  startedAt: string | null;
  completedAt: string | null;
  durationMs: number | null;
  message: string | null;
  error: string | null;
  errorCode: string | null;
  skippedBy: string | null;
  skipReason: string | null;
}

export function toView(run: ProvisioningRun, lastEventSeq: number): ProvisioningView {
  const steps = stepsOf(run);
  const stepsCompleted = steps.filter(isStepDone).length;
  return {
    id: run.id,
    tenantId: run.tenant.id,
    type: run.type,
    config: run.config,
    status: run.status,
    currentStep: run.currentStep,
    resources: run.resources,
    startedAt: run.startedAt.toISOString(),
    completedAt: iso(run.completedAt),
    progress: Math.round((stepsCompleted / TOTAL_STEPS) * 100 * 100) / 100,
    stepsCompleted,
    totalSteps: TOTAL_STEPS,
    lastEventSeq,
    priority: run.priority,
    runAt: iso(run.runAt),
    steps: steps.map(toStepView),
    errors: steps
      .filter((step) => step.status === StepStatus.FAILED && step.error)
      .map((step) => ({ step: step.key, code: step.errorCode, message: step.error!, at: iso(step.completedAt) })),
  };
}

function toStepView(step: ProvisioningStep): StepView {
  return {
    ...definitionView(stepDefinition(step.key), step.index),
    status: step.status,
    attempts: step.attempts,
    startedAt: iso(step.startedAt),
    completedAt: iso(step.completedAt),
    durationMs: step.durationMs,
    message: step.message,
    error: step.error,
    errorCode: step.errorCode,
    skippedBy: step.skippedBy,
    skipReason: step.skipReason,
  };
}

/** The plan as declared, for `provisioningPlan`. */
export function planView(): DefinitionView[] {
  return PLAN.map(definitionView);
}

type DefinitionView = Pick<StepView, 'key' | 'index' | 'title' | 'criticality' | 'skippable' | 'timeoutMs'>;

function definitionView(definition: StepDefinition, index: number): DefinitionView {
  return {
    key: definition.key,
    index,
    title: definition.title,
    criticality: definition.criticality,
    skippable: isSkippable(definition),
    timeoutMs: definition.timeoutMs,
  };
}

function iso(value: Date | string | null): string | null {
  return value === null ? null : new Date(value).toISOString();
}

import { PLAN, TOTAL_STEPS, isSkippable } from './plan/index.js';
import type { Resources } from './plan/step-definition.js';
import { ProvisioningType, RunStatus, StepCriticality, StepKey, StepStatus, type RunConfig } from './model.js';

/** One step of a run as the orchestrator holds it; dates as ISO strings (JSON-safe). */
export interface StepState {
  key: StepKey;
  index: number;
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
  output: Record<string, unknown> | null;
}

export interface RunState {
  id: string;
  tenantId: string;
  type: ProvisioningType;
  config: RunConfig;
  status: RunStatus;
  currentStep: StepKey | null;
  resources: Resources;
  startedAt: string;
  completedAt: string | null;
  steps: StepState[];
}

/**
 * What clients see of a run (GraphQL `Provisioning`, and each event's `provisioning`): the state
 * plus what is derived from it. Stored with every event, so a replayed event shows the state as
 * it was then.
 */
export interface ProvisioningView extends RunState {
  progress: number;
  stepsCompleted: number;
  totalSteps: number;
  lastEventSeq: number;
  steps: StepView[];
  errors: Array<{ step: StepKey; code: string | null; message: string; at: string | null }>;
}

export interface StepView extends StepState {
  title: string;
  criticality: StepCriticality;
  skippable: boolean;
  /** Per attempt, in milliseconds (GraphQL `ProvisioningStep.timeoutMs` is non-null). */
  timeoutMs: number;
}

const DONE: ReadonlySet<StepStatus> = new Set([StepStatus.COMPLETED, StepStatus.SKIPPED]);

export const isStepDone = (step: StepState) => DONE.has(step.status);

export function newRunState(input: { id: string; tenantId: string; type: ProvisioningType; config: RunConfig; now: Date }): RunState {
  return {
    id: input.id,
    tenantId: input.tenantId,
    type: input.type,
    config: input.config,
    status: RunStatus.IN_PROGRESS,
    currentStep: PLAN[0]!.key,
    resources: {},
    startedAt: input.now.toISOString(),
    completedAt: null,
    steps: PLAN.map((step, index) => ({
      key: step.key,
      index,
      status: StepStatus.PENDING,
      attempts: 0,
      startedAt: null,
      completedAt: null,
      durationMs: null,
      message: null,
      error: null,
      errorCode: null,
      skippedBy: null,
      skipReason: null,
      output: null,
    })),
  };
}

export function stepOf(state: RunState, key: StepKey): StepState {
  return state.steps.find((step) => step.key === key)!;
}

export function firstUnfinishedStep(state: RunState): StepState | undefined {
  return state.steps.find((step) => !isStepDone(step));
}

export function toView(state: RunState, lastEventSeq: number): ProvisioningView {
  const stepsCompleted = state.steps.filter(isStepDone).length;
  return {
    ...state,
    progress: Math.round((stepsCompleted / TOTAL_STEPS) * 100 * 100) / 100,
    stepsCompleted,
    totalSteps: TOTAL_STEPS,
    lastEventSeq,
    steps: state.steps.map((step) => {
      const definition = PLAN[step.index]!;
      return { ...step, title: definition.title, criticality: definition.criticality, skippable: isSkippable(definition), timeoutMs: definition.timeoutMs };
    }),
    errors: state.steps
      .filter((step) => step.status === StepStatus.FAILED && step.error)
      .map((step) => ({ step: step.key, code: step.errorCode, message: step.error!, at: step.completedAt })),
  };
}

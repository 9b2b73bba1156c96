import type { ProvisioningRun } from './entities/provisioning-run.entity.js';
import type { ProvisioningStep } from './entities/provisioning-step.entity.js';
import {
  StepCriticality,
  StepStatus,
  type DeprovisionMode,
  type ProvisioningTemplate,
  type ProvisioningType,
  type Resources,
  type RunConfig,
  type RunKind,
  type RunStatus,
  type StepKey,
} from './model.js';
import { isSkippable, stepDefinition } from './plan/index.js';
import type { AnyStepDefinition } from './plan/step-definition.js';
import { isStepDone, runningSteps, stepsOf } from './runs.js';

/**
 * What clients see of a run (GraphQL `Provisioning`, and each event's `provisioning`): the run
 * plus what is derived from it, dates as ISO strings. Stored with every event, so a replayed
 * event shows the state as it was then.
 */
export interface ProvisioningView {
  id: string;
  tenantId: string;
  kind: RunKind;
  deprovisionMode: DeprovisionMode | null;
  type: ProvisioningType;
  template: ProvisioningTemplate;
  config: RunConfig;
  status: RunStatus;
  /** The first of `runningSteps`; when none runs, the first failed step, else the last started. */
  currentStep: StepKey | null;
  runningSteps: StepKey[];
  resources: Resources;
  startedAt: string;
  completedAt: string | null;
  progress: number;
  stepsCompleted: number;
  totalSteps: number;
  lastEventSeq: number;
  /** 1 for the head of the queue while QUEUED, else null; computed when read (events store null). */
  queuePosition: number | null;
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
  dependsOn: StepKey[];
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

/**
 * Every field of a view and of its steps (the compiler keeps these lists whole), so that a view
 * stored by an older version, which lacks some, is recognised and the state read from the rows.
 */
const VIEW_FIELDS: Record<keyof ProvisioningView, true> = {
  id: true, tenantId: true, kind: true, deprovisionMode: true, type: true, template: true, config: true, status: true, currentStep: true,
  runningSteps: true, resources: true, startedAt: true, completedAt: true, progress: true, stepsCompleted: true, totalSteps: true,
  lastEventSeq: true, queuePosition: true, priority: true, runAt: true, steps: true, errors: true,
};
const STEP_FIELDS: Record<keyof StepView, true> = {
  key: true, index: true, title: true, criticality: true, skippable: true, timeoutMs: true, dependsOn: true, status: true, attempts: true,
  startedAt: true, completedAt: true, durationMs: true, message: true, error: true, errorCode: true, skippedBy: true, skipReason: true,
};

const VIEW_KEYS = Object.keys(VIEW_FIELDS);
const STEP_KEYS = Object.keys(STEP_FIELDS);

/**
 * Whether `stored` (an event's `provisioning`) can be served as it is: it has every field this
 * version's views have, and only steps this version knows (the rows show the others as UNKNOWN).
 */
export function isStoredView(stored: unknown): stored is ProvisioningView {
  return hasAll(stored, VIEW_KEYS) && (stored as ProvisioningView).steps.every((step) => hasAll(step, STEP_KEYS) && stepDefinition(step.key) !== undefined);
}

function hasAll(value: unknown, keys: readonly string[]): boolean {
  return typeof value === 'object' && value !== null && keys.every((key) => key in value);
}

export function toView(run: ProvisioningRun, lastEventSeq: number): ProvisioningView {
  const steps = stepsOf(run);
  const stepsCompleted = steps.filter(isStepDone).length;
  const running = runningSteps(run).map((step) => step.key);
  return {
    id: run.id,
    tenantId: run.tenant.id,
    kind: run.kind,
    deprovisionMode: run.deprovisionMode,
    type: run.type,
    template: run.template,
    config: run.config,
    status: run.status,
    // Where the run is: its first running step; stopped, the step that stopped it.
    currentStep: running[0] ?? steps.find((step) => step.status === StepStatus.FAILED)?.key ?? run.currentStep,
    runningSteps: running,
    resources: run.resources,
    startedAt: run.startedAt.toISOString(),
    completedAt: iso(run.completedAt),
    progress: steps.length ? Math.round((stepsCompleted / steps.length) * 100 * 100) / 100 : 0,
    stepsCompleted,
    totalSteps: steps.length,
    lastEventSeq,
    queuePosition: null,
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
    ...definitionView(stepDefinition(step.key) ?? unknownStep(step.key), step.index),
    dependsOn: step.dependsOn,
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

export type DefinitionView = Pick<StepView, 'key' | 'index' | 'title' | 'criticality' | 'skippable' | 'timeoutMs'>;

export function definitionView(definition: AnyStepDefinition, index: number): DefinitionView {
  return {
    key: definition.key,
    index,
    title: definition.title,
    criticality: definition.criticality,
    skippable: isSkippable(definition),
    timeoutMs: definition.timeoutMs,
  };
}

/**
 * A step a run stored that this version of the service does not know (a deploy removed it):
 * shown by its key, critical, never skippable; executing such a run fails it (INVALID_STATE).
 */
function unknownStep(key: StepKey): AnyStepDefinition {
  return {
    key,
    title: key,
    criticality: StepCriticality.CRITICAL,
    dependsOn: [],
    timeoutMs: 0,
    run: () => Promise.reject(new Error(`step ${key} is not known`)),
  };
}

function iso(value: Date | string | null): string | null {
  return value === null ? null : new Date(value).toISOString();
}

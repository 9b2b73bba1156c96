import type { DeprovisionMode, ProvisioningTemplate, StepKey } from '../model.js';
import type { AnyStepDefinition } from './step-definition.js';

/** One step of a template: the step, and what the template asks of it. */
export interface TemplateStep {
  step: AnyStepDefinition;
  input?: unknown;
}

/**
 * Which steps a run has, in which order (the order they are shown in and, among steps that are
 * ready together, started in), and each step's input.
 */
export interface Plan {
  title: string;
  description: string;
  steps: readonly TemplateStep[];
}

/** A business a platform provisions. */
export interface Template extends Plan {
  key: ProvisioningTemplate;
}

/** How a deprovisioning of that mode takes a tenant down, whatever its template. */
export interface DeprovisionTemplate extends Plan {
  key: DeprovisionMode;
}

/** A step as a run stores it: key, place, what it waits for, and its input. */
export interface PlannedStep {
  key: StepKey;
  index: number;
  dependsOn: StepKey[];
  input: unknown;
}

/** The steps a run of `plan` stores when it starts; dependencies on steps it leaves out are dropped. */
export function planOf(plan: Plan): PlannedStep[] {
  const included = new Set(plan.steps.map(({ step }) => step.key));
  return plan.steps.map(({ step, input }, index) => ({
    key: step.key,
    index,
    dependsOn: step.dependsOn.filter((key) => included.has(key)),
    input: input ?? null,
  }));
}

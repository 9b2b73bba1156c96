import type { ProvisioningTemplate, StepKey } from '../model.js';
import type { AnyStepDefinition } from './step-definition.js';

/** One step of a template: the step, and what the template asks of it. */
export interface TemplateStep {
  step: AnyStepDefinition;
  input?: unknown;
}

/**
 * A business a platform provisions: which steps, in which order (the order they are shown in
 * and, among steps that are ready together, started in), and each step's input.
 */
export interface Template {
  key: ProvisioningTemplate;
  title: string;
  description: string;
  steps: readonly TemplateStep[];
}

/** A step as a run stores it: key, place, what it waits for, and its input. */
export interface PlannedStep {
  key: StepKey;
  index: number;
  dependsOn: StepKey[];
  input: unknown;
}

/** The steps a run of `template` stores when it starts; dependencies on steps it leaves out are dropped. */
export function planOf(template: Template): PlannedStep[] {
  const included = new Set(template.steps.map(({ step }) => step.key));
  return template.steps.map(({ step, input }, index) => ({
    key: step.key,
    index,
    dependsOn: step.dependsOn.filter((key) => included.has(key)),
    input: input ?? null,
  }));
}

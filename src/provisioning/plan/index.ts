import { StepCriticality, type StepKey } from '../model.js';
import { assertValidRetryPolicy } from './retry-policy.js';
import type { AnyStepDefinition } from './step-definition.js';
import { DEPROVISION_TEMPLATES, TEMPLATES } from './templates/index.js';

/** Every step this version of the service knows, by key (a run may store one it no longer knows). */
const CATALOGUE = new Map<StepKey, AnyStepDefinition>(
  [...TEMPLATES, ...DEPROVISION_TEMPLATES].flatMap((template) => template.steps.map(({ step }) => [step.key, step] as const)),
);
for (const step of CATALOGUE.values()) assertValidRetryPolicy(step.key, step.retry);

export function stepDefinition(key: StepKey): AnyStepDefinition | undefined {
  return CATALOGUE.get(key);
}

/** How the executor finds a step's implementation by its key: `stepDefinition` in the service. */
export type StepCatalogue = (key: StepKey) => AnyStepDefinition | undefined;

/** Only steps whose failure does not stop the run may be skipped by a person. */
export function isSkippable(step: AnyStepDefinition): boolean {
  return step.criticality !== StepCriticality.CRITICAL;
}

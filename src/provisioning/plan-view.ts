import type { StepKey } from './model.js';
import { stepDefinition } from './plan/index.js';
import { effectiveRetryPolicy, type EffectiveRetryPolicy } from './plan/retry-policy.js';
import { planOf, type Template } from './plan/template.js';
import { TEMPLATES } from './plan/templates/index.js';
import { definitionView, type DefinitionView } from './run-view.js';
import type { ProvisioningTuning } from './tuning.js';

/** A step as a template declares it: for `provisioningPlan` and `provisioningTemplates`. */
export interface StepDefinitionView extends DefinitionView {
  dependsOn: StepKey[];
  retryPolicy: EffectiveRetryPolicy;
}

export interface TemplateView {
  key: Template['key'];
  title: string;
  description: string;
  steps: StepDefinitionView[];
}

export function templateView(template: Template, tuning: ProvisioningTuning): TemplateView {
  return {
    key: template.key,
    title: template.title,
    description: template.description,
    steps: planOf(template).map((planned) => {
      const definition = stepDefinition(planned.key)!;
      return { ...definitionView(definition, planned.index), dependsOn: planned.dependsOn, retryPolicy: effectiveRetryPolicy(definition.retry, tuning) };
    }),
  };
}

export function templatesView(tuning: ProvisioningTuning): TemplateView[] {
  return TEMPLATES.map((template) => templateView(template, tuning));
}

import { SECOND } from '../../../lib/time.js';
import { StepCriticality, StepKey, type Resources } from '../../model.js';
import { required, type StepDefinition } from '../step-definition.js';

export interface FinalizeInput {
  /** What the business needs recorded before it is ready: a company, a POS profile, ... */
  requires: ReadonlyArray<keyof Resources>;
}

/**
 * Checks that what the business needs is recorded; the orchestrator then marks the tenant
 * PROVISIONED (or PARTIAL) in the same transaction as the run's last event. It comes after
 * every other step of its template.
 */
export const finalize: StepDefinition<FinalizeInput> = {
  key: StepKey.FINALIZE,
  title: 'Finalize',
  criticality: StepCriticality.CRITICAL,
  dependsOn: Object.values(StepKey).filter((key) => key !== StepKey.FINALIZE && key !== StepKey.UNKNOWN),
  timeoutMs: 10 * SECOND,
  async run({ input, resources }) {
    const recorded = input.requires.map((key) => describe(key, required(resources, key)));
    return { message: `Ready: ${recorded.join(', ')}` };
  },
};

const LABELS: Partial<Record<keyof Resources, string>> = { company: 'company', posProfile: 'POS profile', customer: 'customer', engineUser: 'engine user' };

function describe(key: keyof Resources, value: unknown): string {
  if (key === 'warehouses') return `warehouse ${(value as NonNullable<Resources['warehouses']>).main}`;
  return `${LABELS[key] ?? key} ${String(value)}`;
}

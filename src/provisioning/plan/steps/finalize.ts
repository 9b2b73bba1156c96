import { SECOND } from '../../../lib/time.js';
import { StepCriticality, StepKey } from '../../model.js';
import { required, type StepDefinition } from '../step-definition.js';

/**
 * Checks that what the sale needs is recorded; the orchestrator then marks the tenant
 * PROVISIONED (or PARTIAL) in the same transaction as the run's last event.
 */
export const finalize: StepDefinition = {
  key: StepKey.FINALIZE,
  title: 'Finalize',
  criticality: StepCriticality.CRITICAL,
  timeoutMs: 10 * SECOND,
  async run({ resources }) {
    const company = required(resources, 'company');
    const profile = required(resources, 'posProfile');
    return { message: `Ready to sell: company ${company}, POS profile ${profile}` };
  },
};

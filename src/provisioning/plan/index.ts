import { StepCriticality, StepKey } from '../model.js';
import { chartOfAccounts } from './steps/chart-of-accounts.js';
import { company } from './steps/company.js';
import { customer } from './steps/customer.js';
import { demoItems } from './steps/demo-items.js';
import { engineCheck } from './steps/engine-check.js';
import { engineUser } from './steps/engine-user.js';
import { finalize } from './steps/finalize.js';
import { posProfile } from './steps/pos-profile.js';
import { posSession } from './steps/pos-session.js';
import { settings } from './steps/settings.js';
import { warehouses } from './steps/warehouses.js';
import type { StepDefinition } from './step-definition.js';

/** The eleven steps, in the order they run (DESIGN.md section 4). */
export const PLAN: readonly StepDefinition[] = [
  engineCheck,
  engineUser,
  company,
  chartOfAccounts,
  warehouses,
  settings,
  demoItems,
  customer,
  posProfile,
  posSession,
  finalize,
];

export const TOTAL_STEPS = PLAN.length;

const BY_KEY = new Map(PLAN.map((step) => [step.key, step]));

export function stepDefinition(key: StepKey): StepDefinition {
  return BY_KEY.get(key)!;
}

/** Only steps whose failure does not stop the run may be skipped by a person. */
export function isSkippable(step: StepDefinition): boolean {
  return step.criticality !== StepCriticality.CRITICAL;
}

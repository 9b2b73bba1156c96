import type { DeprovisionResult } from '../../../../engine/port.js';
import type { Resources } from '../../../model.js';
import type { StepResult } from '../../step-definition.js';

/**
 * A deprovisioning step's result: a sentence for the resource it acted on, and the engine's
 * outcome as its output. A resource ERPNext keeps (a company with transactions, say) does not
 * fail the step: its sentence says what was kept and ERPNext's reason.
 */
export function reported(what: string, result: DeprovisionResult): StepResult {
  return { message: sentence(what, result), output: { results: [result] } };
}

/** The same for a step that acts on several resources (or finds none: `whenNone`). */
export function reportedEach(what: string, results: readonly DeprovisionResult[], whenNone: string): StepResult {
  const message = results.length ? results.map((result) => sentence(what, result)).join('; ') : whenNone;
  return { message, output: { results } };
}

function sentence(what: string, { name, outcome, reason }: DeprovisionResult): string {
  const subject = `${what} ${name}`;
  if (outcome === 'kept') return `Kept ${subject}: ${reason ?? 'ERPNext refused to change it'}`;
  if (outcome === 'already-gone') return `${capitalized(subject)} was already gone`;
  // An outcome an earlier attempt or run reached says so ("already disabled").
  if (reason) return `${capitalized(subject)}: ${reason}`;
  return `${capitalized(outcome)} ${subject}`;
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A skip reason for a step whose resource provisioning never recorded (a template without it, a run that stopped early). */
export function unlessRecorded(key: keyof Resources, what: string) {
  return (_config: unknown, resources: Readonly<Resources>): string | undefined => {
    const value = resources[key];
    return value === undefined || (Array.isArray(value) && value.length === 0) ? `no ${what} was provisioned` : undefined;
  };
}

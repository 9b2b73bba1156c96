import { isEngineError } from '../errors.js';
import type { DeprovisionResult } from '../port.js';
import type { Doc, FrappeResources } from './resources.js';

/**
 * ERPNext answers a delete, cancel or disable it will not do (a document still links to it, a
 * ledger must stay, a submitted record, a session still open) with 417 and says why (a
 * ValidationError or LinkExistsError, e.g. from `frappe/model/delete_doc.py`): the resource is
 * kept, and that reason is what the caller reports.
 * Anything else (transient, auth, permission) stays an error.
 */
function refusalOf(error: unknown): string | undefined {
  if (!isEngineError(error) || error.status !== 417) return undefined;
  return error.engineMessage ?? error.message;
}

/** A 404 means our goal is reached: deleted by someone, or by our own call whose answer was lost. */
function isGone(error: unknown): boolean {
  return isEngineError(error) && error.code === 'ENGINE_NOT_FOUND';
}

/** How a write that ERPNext refused or found nothing for ends; any other failure is rethrown. */
function outcomeOfFailure(name: string, error: unknown): DeprovisionResult {
  if (isGone(error)) return { name, outcome: 'already-gone' };
  const reason = refusalOf(error);
  if (reason === undefined) throw error;
  return { name, outcome: 'kept', reason };
}

export async function removeDoc(
  resources: FrappeResources,
  doctype: string,
  name: string,
  signal?: AbortSignal,
): Promise<DeprovisionResult> {
  try {
    await resources.delete(doctype, name, signal);
    return { name, outcome: 'deleted' };
  } catch (error) {
    return outcomeOfFailure(name, error);
  }
}

/** `frappe.client.cancel`: a submitted document becomes cancelled (docstatus 2), `closed` here. */
export async function cancelDoc(
  resources: FrappeResources,
  doctype: string,
  name: string,
  signal?: AbortSignal,
): Promise<DeprovisionResult> {
  try {
    await resources.call('frappe.client.cancel', { args: { doctype, name }, signal });
    return { name, outcome: 'closed' };
  } catch (error) {
    return outcomeOfFailure(name, error);
  }
}

export interface DisableSteps {
  doctype: string;
  name: string;
  isDisabled: (doc: Doc) => boolean;
  /** The partial update that disables it, e.g. `{ enabled: 0 }`. */
  change: Record<string, unknown>;
}

/** Reads first, so a second call writes nothing and says the work was already done. */
export async function disableDoc(resources: FrappeResources, steps: DisableSteps, signal?: AbortSignal): Promise<DeprovisionResult> {
  const doc = await resources.get(steps.doctype, steps.name, signal);
  if (!doc) return { name: steps.name, outcome: 'already-gone' };
  if (steps.isDisabled(doc)) return { name: doc.name, outcome: 'disabled', reason: 'already disabled' };
  try {
    await resources.update(steps.doctype, doc.name, steps.change, signal);
    return { name: doc.name, outcome: 'disabled' };
  } catch (error) {
    return outcomeOfFailure(doc.name, error);
  }
}

import type { Ensured } from '../port.js';
import { isEngineError } from '../errors.js';
import type { Doc } from './resources.js';

export interface EnsureSteps<T extends Doc> {
  /** Looks the resource up by its natural key; null when absent. */
  find: () => Promise<T | null>;
  create: () => Promise<T>;
}

/**
 * Find, else create. A 409 on create means somebody (often our own earlier call whose response
 * was lost after the commit) created it meanwhile: find it and report
 * `created: false`. A 409 for anything else (e.g. a Customer named like a Customer Group)
 * finds nothing and is rethrown.
 */
export async function ensureDoc<T extends Doc>(steps: EnsureSteps<T>): Promise<Ensured<T>> {
  const existing = await steps.find();
  if (existing) return { name: existing.name, created: false, doc: existing };
  try {
    const doc = await steps.create();
    return { name: doc.name, created: true, doc };
  } catch (error) {
    if (!isEngineError(error) || error.code !== 'ENGINE_DUPLICATE') throw error;
    const found = await steps.find();
    if (!found) throw error;
    return { name: found.name, created: false, doc: found };
  }
}

import type { SettingsDoctype, SettingsResult } from '../../port.js';
import type { FrappeResources } from '../resources.js';

/**
 * Singles are read and written at `/api/resource/{doctype}/{doctype}`. Only the keys
 * that differ are PUT, so a second run writes nothing and cannot clobber unrelated fields.
 */
export async function mergeSettings(
  resources: FrappeResources,
  doctype: SettingsDoctype,
  values: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<SettingsResult> {
  const current = await resources.read(doctype, doctype, signal);
  const changes = Object.fromEntries(
    Object.entries(values).filter(([key, value]) => !sameSettingValue(current[key], value)),
  );
  if (Object.keys(changes).length === 0) return { changed: false, doc: current };
  const doc = await resources.update(doctype, doctype, changes, signal);
  return { changed: true, doc };
}

/**
 * Frappe stores checks as 0/1 and omits null fields from documents (`as_dict(no_nulls=True)`),
 * so `true` equals 1 and an absent field equals null.
 */
function sameSettingValue(stored: unknown, wanted: unknown): boolean {
  return normalise(stored) === normalise(wanted);
}

function normalise(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : value;
}

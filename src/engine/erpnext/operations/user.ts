import type { EngineUserInput, Ensured } from '../../port.js';
import { ensureDoc } from '../ensure.js';
import type { Doc, FrappeResources } from '../resources.js';

/** A `Has Role` child row; `name` is present on stored rows. */
interface RoleRow {
  role: string;
  name?: string;
}

type UserDoc = Doc & { roles?: RoleRow[] };

/**
 * A User is named by its email, trimmed and lower-cased (`user.py` autoname). When it exists,
 * missing roles are added with a PUT of the whole `roles` table, stored rows included, because
 * a child table sent replaces the stored one (erpnext-api.md §1.3).
 */
export async function ensureUser(
  resources: FrappeResources,
  input: EngineUserInput,
  signal?: AbortSignal,
): Promise<Ensured> {
  const name = input.email.trim().toLowerCase();
  const ensured = await ensureDoc<UserDoc>({
    find: () => resources.get<UserDoc>('User', name, signal),
    create: () => resources.insert<UserDoc>('User', newUser(input), signal),
  });
  if (ensured.created) return ensured;
  const stored = ensured.doc.roles ?? [];
  const missing = missingRoles(stored, input.roles);
  if (missing.length === 0) return ensured;
  const roles = [...stored.map((row) => ({ name: row.name, role: row.role })), ...missing.map((role) => ({ role }))];
  const doc = await resources.update<UserDoc>('User', ensured.name, { roles }, signal);
  return { name: doc.name, created: false, doc };
}

function newUser(input: EngineUserInput): Record<string, unknown> {
  return {
    email: input.email,
    first_name: input.firstName,
    ...(input.lastName ? { last_name: input.lastName } : {}),
    // Provisioning must not mail people as a side effect; the product sends its own invitation.
    send_welcome_email: 0,
    roles: unique(input.roles).map((role) => ({ role })),
  };
}

function missingRoles(stored: RoleRow[], wanted: string[]): string[] {
  const have = new Set(stored.map((row) => row.role));
  return unique(wanted).filter((role) => !have.has(role));
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

import type { DeprovisionResult, EngineUserInput, Ensured } from '../../port.js';
import { disableDoc, removeDoc } from '../deprovision.js';
import { ensureDoc } from '../ensure.js';
import type { Doc, FrappeResources } from '../resources.js';
import { loggedUser } from './identity.js';

/** A `Has Role` child row; `name` is present on stored rows. */
interface RoleRow {
  role: string;
  name?: string;
}

type UserDoc = Doc & { roles?: RoleRow[] };

/**
 * A User is named by its email, trimmed and lower-cased (`user.py` autoname). When it exists,
 * missing roles are added with a PUT of the whole `roles` table, stored rows included, because
 * a child table sent replaces the stored one (`update_doc`); and a user deprovisioning
 * disabled is enabled again in the same PUT, so a tenant provisioned again can sign in.
 */
export async function ensureUser(
  resources: FrappeResources,
  input: EngineUserInput,
  signal?: AbortSignal,
): Promise<Ensured> {
  const name = userName(input.email);
  const ensured = await ensureDoc<UserDoc>({
    find: () => resources.get<UserDoc>('User', name, signal),
    create: () => resources.insert<UserDoc>('User', newUser(input), signal),
  });
  if (ensured.created) return ensured;
  const stored = ensured.doc.roles ?? [];
  const missing = missingRoles(stored, input.roles);
  const disabled = Number(ensured.doc.enabled) === 0;
  if (missing.length === 0 && !disabled) return ensured;
  const change = {
    ...(missing.length > 0 && { roles: [...stored.map((row) => ({ name: row.name, role: row.role })), ...missing.map((role) => ({ role }))] }),
    ...(disabled && { enabled: 1 }),
  };
  const doc = await resources.update<UserDoc>('User', ensured.name, change, signal);
  return { name: doc.name, created: false, doc };
}

/** ERPNext itself refuses to disable Administrator and Guest (`user.py` check_enable_disable). */
export async function disableUser(resources: FrappeResources, email: string, signal?: AbortSignal): Promise<DeprovisionResult> {
  const name = userName(email);
  return (
    (await keepApiUser(resources, name, signal)) ??
    disableDoc(resources, { doctype: 'User', name, isDisabled: (doc) => Number(doc.enabled) === 0, change: { enabled: 0 } }, signal)
  );
}

/** ERPNext itself refuses to delete Administrator and Guest (`user.py` on_trash), and a user a POS profile or entry names. */
export async function removeUser(resources: FrappeResources, email: string, signal?: AbortSignal): Promise<DeprovisionResult> {
  const name = userName(email);
  return (await keepApiUser(resources, name, signal)) ?? removeDoc(resources, 'User', name, signal);
}

/**
 * Our API key's own user is never disabled or deleted: that would lock this service out of
 * ERPNext, and on most sites it is Administrator.
 */
async function keepApiUser(resources: FrappeResources, name: string, signal?: AbortSignal): Promise<DeprovisionResult | undefined> {
  const apiUser = (await loggedUser(resources, signal)).toLowerCase();
  return apiUser === name ? { name, outcome: 'kept', reason: "it is the user of this service's own API key" } : undefined;
}

/** `user.py` autoname: the email, trimmed and lower-cased (names compare case-insensitively anyway). */
function userName(email: string): string {
  return email.trim().toLowerCase();
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

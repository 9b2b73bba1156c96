/**
 * Role-based permissions, from the DocType permission rows. Administrator bypasses every check; Guest
 * (no Authorization header) has no permission on any resource.
 */
import { rows, text, type DocTypeDef, type PermissionType } from './doctypes/meta.js';
import type { Store } from './store.js';

export const ADMINISTRATOR = 'Administrator';
export const GUEST = 'Guest';

export function hasPermission(store: Store, user: string, def: DocTypeDef, type: PermissionType): boolean {
  if (user === ADMINISTRATOR) return true;
  if (user === GUEST) return false;
  const userDoc = store.get('User', user);
  if (!userDoc) return false;
  const roles = new Set(['All', ...rows(userDoc, 'roles').map((row) => text(row.role))]);
  const allowed =
    type === 'read'
      ? [...def.permissions.read, ...def.permissions.write]
      : type === 'submit' || type === 'cancel'
        ? (def.permissions.submit ?? def.permissions.write)
        : def.permissions.write;
  return allowed.some((role) => roles.has(role));
}

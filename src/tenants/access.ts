import { forbidden, unauthenticated } from '../lib/errors.js';
import type { Viewer } from './auth/tokens.js';
import { UserRole } from './model.js';

/** Tenant isolation in one place: every resolver and subscription asks here. */
export function requireViewer(viewer: Viewer | null | undefined): Viewer {
  if (!viewer) throw unauthenticated();
  if (viewer.expiresAt <= Date.now()) throw unauthenticated('Your token has expired: sign in again with the login mutation.');
  return viewer;
}

export function canAccessTenant(viewer: Viewer, tenantId: string): boolean {
  return viewer.role === UserRole.PLATFORM_ADMIN || viewer.tenantId === tenantId;
}

export function assertTenantAccess(viewer: Viewer | null | undefined, tenantId: string): Viewer {
  const known = requireViewer(viewer);
  if (!canAccessTenant(known, tenantId)) throw forbidden();
  return known;
}

export function requirePlatformAdmin(viewer: Viewer | null | undefined): Viewer {
  const known = requireViewer(viewer);
  if (known.role !== UserRole.PLATFORM_ADMIN) throw forbidden('Only a platform admin may do this.');
  return known;
}

import type { MiddlewareFn } from 'type-graphql';
import type { RequestContext } from '../../lib/request-context.js';
import { requireViewer } from '../../tenants/access.js';

/** Root fields anyone may call: only signing in (`me` without a token is UNAUTHENTICATED too). */
const PUBLIC_ROOT_FIELDS = new Set(['Mutation.login']);

/**
 * Every root field needs a valid token unless listed above: security by default, so a new
 * resolver cannot be left open by forgetting a check. Tenant checks stay in the resolvers.
 */
export const requireAuthentication: MiddlewareFn<RequestContext> = async ({ context, info }, next) => {
  const parent = info.parentType.name;
  const isRoot = parent === 'Query' || parent === 'Mutation' || parent === 'Subscription';
  if (isRoot && !PUBLIC_ROOT_FIELDS.has(`${parent}.${info.fieldName}`)) requireViewer(context.viewer);
  return next();
};

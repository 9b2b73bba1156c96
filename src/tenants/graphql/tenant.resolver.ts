import { Arg, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import { notFound } from '../../lib/errors.js';
import type { RequestContext } from '../../lib/request-context.js';
import { uuid } from '../../lib/validation.js';
import { assertTenantAccess, requireViewer } from '../access.js';
import { encodeCursor, listTenants } from '../list-tenants.js';
import { TenantProvisioningStatus } from '../model.js';
import { Tenant } from '../tenant.entity.js';
import { TenantConnection, TenantType } from './types.js';

@Resolver(() => TenantType)
export class TenantResolver {
  @Query(() => TenantType, { nullable: true, description: 'A tenant by id; FORBIDDEN for a tenant admin of another tenant.' })
  async tenant(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Tenant | null> {
    const tenantId = uuid('id', id);
    assertTenantAccess(ctx.viewer, tenantId);
    return ctx.em.findOne(Tenant, { id: tenantId });
  }

  @Query(() => TenantConnection, { description: 'Tenants in creation order (a tenant admin sees only its own).' })
  async tenants(
    @Ctx() ctx: RequestContext,
    @Arg('status', () => TenantProvisioningStatus, { nullable: true }) status?: TenantProvisioningStatus | null,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number = 50,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<TenantConnection> {
    const viewer = requireViewer(ctx.viewer);
    const page = await listTenants(ctx.em, viewer, { status, first, after });
    const edges = page.tenants.map((node) => ({ cursor: encodeCursor(node), node }));
    return {
      edges,
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
      totalCount: page.totalCount,
    };
  }
}

/** Loads a tenant the caller may see, or says why not. */
export async function loadAccessibleTenant(ctx: RequestContext, id: string): Promise<Tenant> {
  const tenantId = uuid('tenantId', id);
  assertTenantAccess(ctx.viewer, tenantId);
  const tenant = await ctx.em.findOne(Tenant, { id: tenantId });
  if (!tenant) throw notFound('Tenant', tenantId);
  return tenant;
}

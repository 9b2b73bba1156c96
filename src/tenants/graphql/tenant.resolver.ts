import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { notFound } from '../../lib/errors.js';
import type { RequestContext } from '../../lib/request-context.js';
import { uuid } from '../../lib/validation.js';
import { assertTenantAccess } from '../access.js';
import { Tenant } from '../tenant.entity.js';
import { TenantType } from './types.js';

@Resolver(() => TenantType)
export class TenantResolver {
  @Query(() => TenantType, { nullable: true, description: 'A tenant by id; FORBIDDEN for a tenant admin of another tenant.' })
  async tenant(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Tenant | null> {
    const tenantId = uuid('id', id);
    assertTenantAccess(ctx.viewer, tenantId);
    return ctx.em.findOne(Tenant, { id: tenantId });
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

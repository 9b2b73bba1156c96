import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { Arg, Ctx, Field, ID, InputType, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { AppError, toError } from '../../lib/errors.js';
import type { RequestContext } from '../../lib/request-context.js';
import { optionalText } from '../../lib/validation.js';
import { requirePlatformAdmin, requireViewer } from '../../tenants/access.js';
import type { Viewer } from '../../tenants/auth/tokens.js';
import { TenantConnection } from '../../tenants/graphql/types.js';
import { encodeCursor, listTenants, MAX_PAGE_SIZE } from '../../tenants/list-tenants.js';
import { TenantProvisioningStatus } from '../../tenants/model.js';
import { Tenant } from '../../tenants/tenant.entity.js';
import { tenantsWithFailedStep } from '../db/tenants-by-failure.js';
import { StepKey } from '../model.js';
import type { Orchestrator } from '../orchestrator.js';

@InputType({ description: 'Which tenants: every field given must hold.' })
export class TenantFilter {
  @Field(() => TenantProvisioningStatus, { nullable: true })
  status?: TenantProvisioningStatus | null;

  @Field(() => StepKey, { nullable: true, description: 'The latest run has this step FAILED.' })
  failedStep?: StepKey | null;

  @Field(() => String, { nullable: true, description: 'The latest run has a FAILED step with this error code, e.g. ENGINE_NETWORK.' })
  errorCode?: string | null;

  @Field(() => String, { nullable: true, description: 'Part of the name, any case.' })
  search?: string | null;
}

@ObjectType()
export class BulkRefusal {
  @Field(() => ID)
  tenantId!: string;

  @Field({ description: 'The code the single-tenant mutation would have answered, e.g. CONFLICT, INVALID_STATE, ENGINE_UNAVAILABLE.' })
  code!: string;

  @Field()
  message!: string;
}

@ObjectType({ description: 'What a bulk mutation did: each matching tenant was acted on as its own run.' })
export class BulkResult {
  @Field(() => Int)
  matched!: number;

  @Field(() => Int)
  accepted!: number;

  @Field(() => Int)
  refused!: number;

  @Field(() => [BulkRefusal])
  refusals!: BulkRefusal[];
}

@Resolver()
export class FleetResolver {
  constructor(private readonly orchestrator: Orchestrator) {}

  @Query(() => TenantConnection, { description: 'Tenants in creation order, those matching `filter` (a tenant admin sees only its own).' })
  async tenants(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => TenantFilter, { nullable: true }) filter?: TenantFilter | null,
    @Arg('status', () => TenantProvisioningStatus, { nullable: true, description: 'Same as filter.status.' }) status?: TenantProvisioningStatus | null,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number = 50,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<TenantConnection> {
    const viewer = requireViewer(ctx.viewer);
    const where = await tenantWhere(ctx.em, { ...filter, status: filter?.status ?? status });
    const page = await listTenants(ctx.em, viewer, { where, first, after });
    const edges = page.tenants.map((node) => ({ cursor: encodeCursor(node), node }));
    return { edges, pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null }, totalCount: page.totalCount };
  }

  @Mutation(() => BulkResult, { description: 'retryProvisioning for every tenant matching the filter, each as its own run (platform admins only).' })
  async retryProvisioningMany(
    @Arg('filter', () => TenantFilter) filter: TenantFilter,
    @Ctx() ctx: RequestContext,
    @Arg('step', () => StepKey, { nullable: true }) step?: StepKey | null,
  ): Promise<BulkResult> {
    const viewer = requirePlatformAdmin(ctx.viewer);
    return forEachMatch(ctx.em, viewer, filter, (tenantId) => this.orchestrator.resume(tenantId, { kind: 'retry', step }, {}, viewer.email), ctx);
  }

  @Mutation(() => BulkResult, { description: 'cancelProvisioning for every tenant matching the filter (platform admins only).' })
  async cancelProvisioningMany(@Arg('filter', () => TenantFilter) filter: TenantFilter, @Ctx() ctx: RequestContext): Promise<BulkResult> {
    const viewer = requirePlatformAdmin(ctx.viewer);
    return forEachMatch(ctx.em, viewer, filter, (tenantId) => this.orchestrator.cancel(tenantId, viewer.email), ctx);
  }
}

/** The filter as conditions on Tenant; the run criteria become the ids of the tenants that meet them. */
async function tenantWhere(em: EntityManager, filter: TenantFilter): Promise<FilterQuery<Tenant>> {
  const where: FilterQuery<Tenant> = {};
  if (filter.status) where.provisioningStatus = filter.status;
  const search = optionalText('filter.search', filter.search, 140);
  if (search) where.name = { $ilike: `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%` };
  if (filter.failedStep || filter.errorCode) {
    const errorCode = optionalText('filter.errorCode', filter.errorCode, 64);
    where.id = { $in: await tenantsWithFailedStep(em, { step: filter.failedStep, errorCode }) };
  }
  return where;
}

/** Acts on every tenant that matches, one at a time; a refusal is counted with its code, not thrown. */
async function forEachMatch(
  em: EntityManager,
  viewer: Viewer,
  filter: TenantFilter,
  act: (tenantId: string) => Promise<unknown>,
  ctx: RequestContext,
): Promise<BulkResult> {
  const where = await tenantWhere(em, filter);
  const result: BulkResult = { matched: 0, accepted: 0, refused: 0, refusals: [] };
  let after: string | null = null;
  do {
    const page = await listTenants(em, viewer, { where, first: MAX_PAGE_SIZE, after });
    for (const tenant of page.tenants) {
      result.matched += 1;
      try {
        await act(tenant.id);
        result.accepted += 1;
      } catch (error) {
        if (!(error instanceof AppError)) ctx.log.error({ err: toError(error), tenantId: tenant.id }, 'bulk action failed for a tenant');
        const refusal = error instanceof AppError ? error : new AppError('INTERNAL_SERVER_ERROR', `Unexpected error (request id ${ctx.requestId}); it was logged.`);
        result.refused += 1;
        result.refusals.push({ tenantId: tenant.id, code: refusal.code, message: refusal.message });
      }
    }
    after = page.hasNextPage ? encodeCursor(page.tenants.at(-1)!) : null;
  } while (after);
  return result;
}

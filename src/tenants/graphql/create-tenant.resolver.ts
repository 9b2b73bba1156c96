import type { EntityManager } from '@mikro-orm/postgresql';
import { Arg, Ctx, Field, InputType, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '../../lib/request-context.js';
import { requirePlatformAdmin } from '../access.js';
import { createTenant, type TenantTransaction } from '../create-tenant.js';
import { EngineKind } from '../model.js';
import { Tenant } from '../tenant.entity.js';
import { TenantType } from './types.js';

/**
 * What createTenant needs of provisioning, which builds on tenants and so is handed in by the
 * composition root: a transaction that inserts the tenant and starts its provisioning.
 */
export interface TenantProvisioning<StartOptions> {
  /** Runs `insert` and starts provisioning the tenant in the same transaction; the run starts executing once it commits. */
  createAndStart(em: EntityManager, insert: Parameters<TenantTransaction>[0], options: StartOptions, actor: string): Promise<Tenant>;
}

/**
 * The createTenant mutation, with the provisioning input type (`StartProvisioningInput`) and
 * its starter given by the caller, so that tenants does not import provisioning.
 */
export function createTenantResolver<StartOptions extends object>(StartInput: new () => StartOptions, provisioning: TenantProvisioning<StartOptions>) {
  @InputType('CreateTenantInput')
  class CreateTenantInput {
    @Field({ description: 'Display name, 1-140 characters.' })
    name!: string;

    @Field({ description: 'Email of the tenant admin; becomes their sign-in name.' })
    adminEmail!: string;

    @Field()
    adminName!: string;

    @Field({ description: 'Password of the tenant admin, 12-256 characters. Stored only as a scrypt hash.' })
    adminPassword!: string;

    @Field({ description: 'ISO 3166-1 alpha-2 country code, e.g. KE.' })
    countryCode!: string;

    @Field(() => EngineKind, { defaultValue: EngineKind.ERPNEXT })
    engine!: EngineKind;

    @Field(() => String, { nullable: true })
    category?: string | null;

    @Field(() => String, { nullable: true })
    description?: string | null;

    @Field({ defaultValue: false, description: 'Start provisioning right after creating the tenant.' })
    autoStart!: boolean;

    @Field(() => StartInput, { nullable: true })
    provisioning?: StartOptions | null;
  }

  @Resolver()
  class CreateTenantResolver {
    @Mutation(() => TenantType, {
      description: 'Creates a tenant and its admin user; with autoStart, starts provisioning too (both or neither: a refused start creates no tenant).',
    })
    async createTenant(@Arg('input', () => CreateTenantInput) input: CreateTenantInput, @Ctx() ctx: RequestContext): Promise<Tenant> {
      const viewer = requirePlatformAdmin(ctx.viewer);
      const transaction: TenantTransaction = input.autoStart
        ? (insert) => provisioning.createAndStart(ctx.em, insert, input.provisioning ?? ({} as StartOptions), viewer.email)
        : (insert) => ctx.em.fork().transactional(insert);
      const tenantId = await createTenant(input, transaction);
      ctx.log.info({ tenantId }, 'tenant created');
      return ctx.em.findOneOrFail(Tenant, tenantId);
    }
  }
  return CreateTenantResolver;
}

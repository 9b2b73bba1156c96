import { DateTimeResolver } from 'graphql-scalars';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { EngineHealth as EngineHealthValue } from '../../engine/port.js';
import type { RequestContext } from '../../lib/request-context.js';
import { badInput, optionalText, uuid } from '../../lib/validation.js';
import { assertTenantAccess, requirePlatformAdmin, requireViewer } from '../../tenants/access.js';
import { loadAccessibleTenant } from '../../tenants/graphql/tenant.resolver.js';
import type { Tenant } from '../../tenants/tenant.entity.js';
import { TenantType } from '../../tenants/graphql/types.js';
import { listEvents } from '../db/list-events.js';
import { DeprovisionMode, ProvisioningTemplate, StepKey } from '../model.js';
import type { Orchestrator } from '../orchestrator.js';
import type { ProvisioningView } from '../run-view.js';
import { EngineHealth, Provisioning, ProvisioningEvent, ProvisioningTemplateDefinition, StartProvisioningInput, StepDefinition } from './types.js';

export const MAX_LOG_PAGE = 1000;

export interface HealthSource {
  check(): Promise<EngineHealthValue>;
}

@Resolver()
export class ProvisioningResolver {
  constructor(private readonly orchestrator: Orchestrator, private readonly health: HealthSource) {}

  @Query(() => Provisioning, { nullable: true, description: 'The latest provisioning run of the tenant.' })
  provisioning(@Arg('tenantId', () => ID) tenantId: string, @Ctx() ctx: RequestContext): Promise<ProvisioningView | null> {
    const id = uuid('tenantId', tenantId);
    assertTenantAccess(ctx.viewer, id);
    return this.orchestrator.latest(ctx.em, id);
  }

  @Query(() => [ProvisioningEvent], { description: 'The tenant\'s event log, oldest first, with seq > after.' })
  async provisioningLogs(
    @Arg('tenantId', () => ID) tenantId: string,
    @Ctx() ctx: RequestContext,
    @Arg('after', () => Int, { nullable: true }) after?: number | null,
    @Arg('first', () => Int, { defaultValue: 200 }) first: number = 200,
  ) {
    if (first < 1 || first > MAX_LOG_PAGE) throw badInput('first', `must be between 1 and ${MAX_LOG_PAGE}.`);
    if (after !== null && after !== undefined && after < 0) throw badInput('after', 'must be 0 or more (a seq you received).');
    const tenant = await loadAccessibleTenant(ctx, tenantId);
    return listEvents(ctx.em, tenant.id, after ?? 0, first);
  }

  @Query(() => [StepDefinition], { description: "A template's steps, in order (default FULL_POS: the eleven steps)." })
  provisioningPlan(@Arg('template', () => ProvisioningTemplate, { defaultValue: ProvisioningTemplate.FULL_POS }) template: ProvisioningTemplate): StepDefinition[] {
    return this.orchestrator.templates().find((view) => view.key === template)!.steps;
  }

  @Query(() => [ProvisioningTemplateDefinition], { description: 'The templates a run may start from, with their steps.' })
  provisioningTemplates(): ProvisioningTemplateDefinition[] {
    return this.orchestrator.templates();
  }

  @Query(() => EngineHealth, { description: 'Whether the ERP engine answers (cached for 30 s).' })
  engineHealth(): Promise<EngineHealthValue> {
    return this.health.check();
  }

  @Mutation(() => Provisioning, {
    description: 'Starts provisioning; returns at once: IN_PROGRESS, or QUEUED while ENGINE_MAX_ACTIVE_RUNS runs execute, or SCHEDULED with runAt. Follow it with provisioningEvents.',
  })
  async startProvisioning(
    @Arg('tenantId', () => ID) tenantId: string,
    @Ctx() ctx: RequestContext,
    @Arg('input', () => StartProvisioningInput, { nullable: true }) input?: StartProvisioningInput | null,
  ): Promise<ProvisioningView> {
    const tenant = await loadAccessibleTenant(ctx, tenantId);
    return this.orchestrator.startProvisioning(tenant.id, input ?? {}, requireViewer(ctx.viewer).email);
  }

  @Mutation(() => Provisioning, { description: 'Re-runs the failed steps (or the named one) of a FAILED, PARTIAL or CANCELLED run; queued like a start.' })
  async retryProvisioning(
    @Arg('tenantId', () => ID) tenantId: string,
    @Ctx() ctx: RequestContext,
    @Arg('step', () => StepKey, { nullable: true }) step?: StepKey | null,
    @Arg('priority', () => Int, { nullable: true, description: 'As in StartProvisioningInput (default 0).' }) priority?: number | null,
    @Arg('runAt', () => DateTimeResolver, { nullable: true, description: 'As in StartProvisioningInput.' }) runAt?: Date | null,
  ): Promise<ProvisioningView> {
    const tenant = await loadAccessibleTenant(ctx, tenantId);
    return this.orchestrator.resume(tenant.id, { kind: 'retry', step }, { priority, runAt }, requireViewer(ctx.viewer).email);
  }

  @Mutation(() => Provisioning, { description: 'Resumes a FAILED, PARTIAL or CANCELLED run at its first unfinished step; queued like a start.' })
  async continueProvisioning(
    @Arg('tenantId', () => ID) tenantId: string,
    @Ctx() ctx: RequestContext,
    @Arg('priority', () => Int, { nullable: true, description: 'As in StartProvisioningInput (default 0).' }) priority?: number | null,
    @Arg('runAt', () => DateTimeResolver, { nullable: true, description: 'As in StartProvisioningInput.' }) runAt?: Date | null,
  ): Promise<ProvisioningView> {
    const tenant = await loadAccessibleTenant(ctx, tenantId);
    return this.orchestrator.resume(tenant.id, { kind: 'continue' }, { priority, runAt }, requireViewer(ctx.viewer).email);
  }

  @Mutation(() => Provisioning, { description: 'Skips a NON_CRITICAL or OPTIONAL step that is not completed, recording who and why.' })
  async skipStep(
    @Arg('tenantId', () => ID) tenantId: string,
    @Arg('step', () => StepKey) step: StepKey,
    @Ctx() ctx: RequestContext,
    @Arg('reason', () => String, { nullable: true }) reason?: string | null,
  ): Promise<ProvisioningView> {
    const tenant = await loadAccessibleTenant(ctx, tenantId);
    return this.orchestrator.skip(tenant.id, step, optionalText('reason', reason, 500), requireViewer(ctx.viewer).email);
  }

  @Mutation(() => Provisioning, {
    description:
      'Takes the tenant down in the engine (platform admins only): DISABLE closes its POS sessions and disables its POS profile and engine user, REMOVE also deletes what provisioning created where ERPNext allows it. Returns at once; the run is followed, retried, continued and cancelled like a provisioning. The tenant is DEPROVISIONING, then DEPROVISIONED; startProvisioning sets it up again.',
  })
  async deprovisionTenant(
    @Arg('tenantId', () => ID) tenantId: string,
    @Arg('mode', () => DeprovisionMode) mode: DeprovisionMode,
    @Ctx() ctx: RequestContext,
  ): Promise<ProvisioningView> {
    // Before the id is even read: whether a tenant exists is not a tenant admin's to learn here.
    const viewer = requirePlatformAdmin(ctx.viewer);
    return this.orchestrator.deprovision(uuid('tenantId', tenantId), mode, viewer.email);
  }

  @Mutation(() => Provisioning, { description: 'Stops the run after its running step (a QUEUED or SCHEDULED one at once); it ends CANCELLED.' })
  async cancelProvisioning(@Arg('tenantId', () => ID) tenantId: string, @Ctx() ctx: RequestContext): Promise<ProvisioningView> {
    const tenant = await loadAccessibleTenant(ctx, tenantId);
    return this.orchestrator.cancel(tenant.id, requireViewer(ctx.viewer).email);
  }
}

@Resolver(() => TenantType)
export class TenantProvisioningResolver {
  constructor(private readonly orchestrator: Orchestrator) {}

  @FieldResolver(() => Provisioning, { nullable: true, description: 'The latest provisioning run of this tenant.' })
  provisioning(@Root() tenant: Tenant, @Ctx() ctx: RequestContext): Promise<ProvisioningView | null> {
    assertTenantAccess(ctx.viewer, tenant.id);
    return this.orchestrator.latest(ctx.em, tenant.id);
  }
}

import type { EntityManager } from '@mikro-orm/postgresql';
import { context, ROOT_CONTEXT, type Context } from '@opentelemetry/api';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { ErpEngine } from '../engine/port.js';
import { AppError, isDatabaseUnavailable, notFound, toError } from '../lib/errors.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { requestCancel } from './commands/cancel-run.js';
import { resumeRun, type ResumeMode } from './commands/resume-run.js';
import { skipStep } from './commands/skip-step.js';
import { startRun, startRunIn, type StartOptions } from './commands/start-run.js';
import { claimOrphanedRuns, releaseLeases, renewLeases } from './db/leases.js';
import { latestRun, loadRun } from './db/load-run.js';
import { RunExecutor } from './execution/run-executor.js';
import type { StepKey } from './model.js';
import type { TenantFacts } from './plan/step-definition.js';
import { toView, type ProvisioningView } from './run-view.js';
import type { TransitionWriter } from './transitions/transition-writer.js';
import type { ProvisioningTuning } from './tuning.js';

export interface EngineAvailability {
  /** The last fresh health result (cached), or null when unknown: never waits. */
  peek(): { online: boolean; message: string } | null;
  /** A step could not reach the engine: it counts as offline until a check succeeds. */
  markUnreachable(reason: string): void;
}

export interface OrchestratorOptions {
  em: EntityManager;
  writer: TransitionWriter;
  engine: ErpEngine;
  availability: EngineAvailability;
  log: Logger;
  tuning: ProvisioningTuning;
  /** Unique per process; defaults to host, pid and a random suffix. */
  owner?: string;
}

/** At most this many orphaned runs are claimed per sweep, so one replica does not take all. */
const CLAIM_BATCH = 25;

/**
 * Durable in-process orchestration: commands write the run and return at once; executors run in
 * the background of this process under a lease; a sweep resumes runs whose lease expired.
 * Knows nothing of GraphQL or HTTP.
 */
export class Orchestrator {
  readonly owner: string;
  private readonly executing = new Map<string, Promise<void>>();
  private readonly draining = new AbortController();
  private readonly stopping = new AbortController();
  private timers: NodeJS.Timeout[] = [];
  private sweeping: Promise<void> | null = null;

  constructor(private readonly options: OrchestratorOptions) {
    this.owner = options.owner ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  }

  /** Starts the lease renewal and the sweep (one right away: runs left by a crash resume now). */
  start(): void {
    const { leaseMs, sweepIntervalMs } = this.options.tuning;
    this.timers.push(setInterval(() => void this.renew(), Math.max(10, Math.floor(leaseMs / 3))));
    this.timers.push(setInterval(() => void this.sweep(), sweepIntervalMs));
    void this.sweep();
  }

  get activeRuns(): number {
    return this.executing.size;
  }

  async startProvisioning(tenantId: string, options: StartOptions, actor: string): Promise<ProvisioningView> {
    this.assertAccepting();
    this.assertEngineOnline();
    const view = await startRun(this.options.writer, this.options.em, { tenantId, options, actor, lease: this.lease() });
    this.launch(view.id, false, context.active());
    return view;
  }

  /**
   * Runs `insert` (a new tenant) and starts its provisioning in one transaction, so that the
   * tenant and its run exist together or not at all (createTenant with autoStart).
   */
  async createAndStart(em: EntityManager, insert: (tx: EntityManager) => Promise<Tenant>, options: StartOptions, actor: string): Promise<Tenant> {
    this.assertAccepting();
    this.assertEngineOnline();
    const { tenant, view } = await this.options.writer.transaction(em, async (tx, record) => {
      const tenant = await insert(tx);
      return { tenant, view: await startRunIn(tx, record, { tenantId: tenant.id, options, actor, lease: this.lease() }) };
    });
    this.launch(view.id, false, context.active());
    return tenant;
  }

  async resume(tenantId: string, mode: ResumeMode, actor: string): Promise<ProvisioningView> {
    this.assertAccepting();
    this.assertEngineOnline();
    const view = await resumeRun(this.options.writer, this.options.em, { tenantId, mode, actor, lease: this.lease() });
    this.launch(view.id, false, context.active());
    return view;
  }

  skip(tenantId: string, step: StepKey, reason: string | null, actor: string): Promise<ProvisioningView> {
    return skipStep(this.options.writer, this.options.em, { tenantId, step, reason, actor });
  }

  cancel(tenantId: string): Promise<ProvisioningView> {
    return requestCancel(this.options.em, { tenantId });
  }

  /** The latest run of a tenant as clients see it, or null before the first start; NOT_FOUND for no tenant. */
  async latest(em: EntityManager, tenantId: string): Promise<ProvisioningView | null> {
    return (await this.current(em, tenantId)).view;
  }

  /** The tenant's last event seq and the state it describes. */
  async current(em: EntityManager, tenantId: string): Promise<{ lastEventSeq: number; view: ProvisioningView | null }> {
    const tenant = await em.findOne(Tenant, tenantId, { fields: ['lastEventSeq'] });
    if (!tenant) throw notFound('Tenant', tenantId);
    const run = await latestRun(em, tenantId);
    return { lastEventSeq: tenant.lastEventSeq, view: run ? toView(run, tenant.lastEventSeq) : null };
  }

  /**
   * Graceful stop: start no new step, let running steps finish until the grace period ends,
   * then abort what still runs (its step stays unfinished and is re-run by whoever resumes),
   * and release every lease this process holds, including runs launched while it drained, so
   * another replica resumes them at once.
   */
  async shutdown(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    this.draining.abort();
    const grace = setTimeout(() => this.stopping.abort(), this.options.tuning.shutdownGraceMs);
    // A run launched by a mutation accepted just before the drain joins `executing` meanwhile.
    while (this.executing.size > 0 || this.sweeping) await Promise.allSettled([...this.executing.values(), this.sweeping]);
    clearTimeout(grace);
    this.stopping.abort();
    try {
      const released = await releaseLeases(this.options.em, this.owner, { sweepNow: true });
      this.options.log.info({ released, owner: this.owner }, 'orchestrator stopped; leases released');
    } catch (error) {
      this.options.log.warn({ err: toError(error) }, 'could not release leases at shutdown; they expire on their own');
    }
  }

  /** Sweeps now (another replica released runs, or a test wants no wait). */
  sweep(): Promise<void> {
    if (this.sweeping || this.draining.signal.aborted) return this.sweeping ?? Promise.resolve();
    this.sweeping = (async () => {
      try {
        const claimed = await claimOrphanedRuns(this.options.em, this.owner, this.options.tuning.leaseMs, CLAIM_BATCH);
        for (const runId of claimed) this.launch(runId, true);
        if (claimed.length) this.options.log.info({ claimed }, 'claimed runs whose lease had expired');
      } catch (error) {
        this.logBackgroundError(error, 'sweep for orphaned runs failed');
      } finally {
        this.sweeping = null;
      }
    })();
    return this.sweeping;
  }

  /** Renews the leases of the runs executing here, and only those. */
  private async renew(): Promise<void> {
    const runIds = [...this.executing.keys()];
    if (runIds.length === 0) return;
    try {
      const held = await renewLeases(this.options.em, this.owner, this.options.tuning.leaseMs, runIds);
      // A run that lost its lease learns so at its next write, and says so there.
      for (const runId of runIds) {
        if (!held.has(runId)) this.options.log.debug({ runId }, 'lease not renewed: the run finished or was taken over');
      }
    } catch (error) {
      this.logBackgroundError(error, 'lease renewal failed');
    }
  }

  /** `origin`: the context of the request that started the run (its trace, its request id). */
  launch(runId: string, resumed: boolean, origin: Context = ROOT_CONTEXT): void {
    if (this.executing.has(runId)) return;
    const execution = this.execute(runId, resumed, origin)
      .catch((error) => this.abandon(runId, error))
      .finally(() => this.executing.delete(runId));
    this.executing.set(runId, execution);
  }

  /**
   * An execution that stopped with an error gives its run back at once, so the next sweep (here
   * or on another replica) resumes it within one sweep interval rather than after the lease.
   */
  private async abandon(runId: string, error: unknown): Promise<void> {
    this.logBackgroundError(error, 'run execution stopped with an error; released for the next sweep to resume');
    await releaseLeases(this.options.em, this.owner, { runIds: [runId], sweepNow: false }).catch((releaseError) =>
      this.logBackgroundError(releaseError, 'could not release the run; it resumes when its lease expires'),
    );
  }

  private async execute(runId: string, resumed: boolean, origin: Context): Promise<void> {
    const em = this.options.em.fork();
    const run = await loadRun(em, runId);
    if (!run) return;
    const executor = new RunExecutor(
      {
        writer: this.options.writer,
        engine: this.options.engine,
        log: this.options.log,
        owner: this.owner,
        tuning: this.options.tuning,
        origin,
        onEngineUnreachable: (reason) => this.options.availability.markUnreachable(reason),
      },
      run,
      await this.tenantFacts(em, run.tenant.id),
      this.draining.signal,
      this.stopping.signal,
    );
    await executor.execute(resumed);
  }

  private async tenantFacts(em: EntityManager, tenantId: string): Promise<TenantFacts> {
    const tenant = await em.findOneOrFail(Tenant, tenantId);
    return { id: tenant.id, name: tenant.name, slug: tenant.slug, countryCode: tenant.countryCode, adminEmail: tenant.adminEmail, adminName: tenant.adminName };
  }

  private lease() {
    return { owner: this.owner, ms: this.options.tuning.leaseMs };
  }

  private assertAccepting(): void {
    if (this.draining.signal.aborted) {
      throw new AppError('ENGINE_UNAVAILABLE', 'This server is shutting down: send the request again, another replica will take it.');
    }
  }

  private assertEngineOnline(): void {
    // Only a fresh "offline" refuses: a start never waits on the engine.
    const health = this.options.availability.peek();
    if (health && !health.online) {
      throw new AppError('ENGINE_UNAVAILABLE', `The ERP engine is offline (${health.message}). Try again once engineHealth reports it online.`);
    }
  }

  private logBackgroundError(error: unknown, message: string): void {
    const level = isDatabaseUnavailable(error) ? 'warn' : 'error';
    this.options.log[level]({ err: toError(error) }, message);
  }
}

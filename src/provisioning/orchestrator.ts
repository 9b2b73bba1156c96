import type { EntityManager } from '@mikro-orm/postgresql';
import { context, ROOT_CONTEXT, type Context } from '@opentelemetry/api';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { ErpEngine } from '../engine/port.js';
import { AppError, isDatabaseUnavailable, notFound, toError } from '../lib/errors.js';
import type { ProvisioningTuning } from '../server/config.js';
import { loadLatestView, loadRun, type LoadedRun } from './db/load-run.js';
import type { RunPool } from './db/run-pool.js';
import { claimOrphanedRuns, releaseLeases, renewLeases } from './db/leases.js';
import { sqlOf } from './db/sql.js';
import type { EventRecord } from './db/append-event.js';
import { requestCancel } from './commands/cancel-run.js';
import { resumeRun, type ResumeMode } from './commands/resume-run.js';
import { skipStep } from './commands/skip-step.js';
import { startRun, type StartOptions } from './commands/start-run.js';
import type { StepKey } from './model.js';
import type { TenantFacts } from './plan/step-definition.js';
import { RunExecutor } from './run-executor.js';
import { toView, type ProvisioningView, type StepState } from './run-state.js';

export interface EngineAvailability {
  /** The last fresh health result (cached 30 s), or null when unknown: never waits. */
  peek(): { online: boolean; message: string } | null;
}

export interface OrchestratorOptions {
  em: EntityManager;
  /** Connections for the run executors' transitions, apart from the request pool. */
  runPool: RunPool;
  engine: ErpEngine;
  availability: EngineAvailability;
  log: Logger;
  tuning: ProvisioningTuning;
  /** Unique per process; defaults to host, pid and a random suffix. */
  owner?: string;
  onEvent?: (event: EventRecord, step?: StepState) => void;
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
    // Only a fresh "offline" refuses: a start never waits on the engine.
    const health = this.options.availability.peek();
    if (health && !health.online) {
      throw new AppError('ENGINE_UNAVAILABLE', `The ERP engine is offline (${health.message}). Try again once engineHealth reports it online.`);
    }
    const { view } = await startRun(this.options.em, { tenantId, options, actor, lease: this.lease() });
    this.launch(view.id, false, context.active());
    return view;
  }

  async resume(tenantId: string, mode: ResumeMode, actor: string): Promise<ProvisioningView> {
    this.assertAccepting();
    const { view } = await resumeRun(this.options.em, { tenantId, mode, actor, lease: this.lease() });
    this.launch(view.id, false, context.active());
    return view;
  }

  skip(tenantId: string, step: StepKey, reason: string | null, actor: string): Promise<ProvisioningView> {
    return skipStep(this.options.em, { tenantId, step, reason, actor });
  }

  async cancel(tenantId: string): Promise<ProvisioningView> {
    const { view } = await requestCancel(this.options.em, { tenantId });
    return view;
  }

  /** The latest run of a tenant as clients see it, or null before the first start; NOT_FOUND for no tenant. */
  async latest(em: EntityManager, tenantId: string): Promise<ProvisioningView | null> {
    return (await this.current(em, tenantId)).view;
  }

  /** The tenant's last event seq and the state it describes, read together in one statement. */
  async current(em: EntityManager, tenantId: string): Promise<{ lastEventSeq: number; view: ProvisioningView | null }> {
    const latest = await loadLatestView(sqlOf(em), tenantId);
    if (!latest) throw notFound('Tenant', tenantId);
    return { lastEventSeq: latest.lastEventSeq, view: latest.run ? toView(latest.run.state, latest.lastEventSeq) : null };
  }

  /**
   * Graceful stop: start no new step, let running steps finish until the grace period ends,
   * then abort what still runs (its step stays unfinished and is re-run by whoever resumes),
   * and release every lease so another replica resumes at once.
   */
  async shutdown(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    this.draining.abort();
    const runIds = [...this.executing.keys()];
    const grace = setTimeout(() => this.stopping.abort(), this.options.tuning.shutdownGraceMs);
    await Promise.allSettled([...this.executing.values(), this.sweeping]);
    clearTimeout(grace);
    this.stopping.abort();
    try {
      const released = await releaseLeases(this.options.em, this.owner, runIds);
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

  private async renew(): Promise<void> {
    if (this.executing.size === 0) return;
    try {
      const held = await renewLeases(this.options.em, this.owner, this.options.tuning.leaseMs);
      for (const runId of this.executing.keys()) {
        if (!held.has(runId)) this.options.log.warn({ runId }, 'lease not renewed: the run finished or was taken over');
      }
    } catch (error) {
      this.logBackgroundError(error, 'lease renewal failed');
    }
  }

  /** `origin`: the context of the request that started the run (its trace, its request id). */
  private launch(runId: string, resumed: boolean, origin: Context = ROOT_CONTEXT): void {
    if (this.executing.has(runId)) return;
    const execution = this.execute(runId, resumed, origin)
      .catch((error) => this.logBackgroundError(error, 'run execution stopped with an error; the run resumes when its lease expires'))
      .finally(() => this.executing.delete(runId));
    this.executing.set(runId, execution);
  }

  private async execute(runId: string, resumed: boolean, origin: Context): Promise<void> {
    const em = this.options.em.fork();
    const loaded = await loadRun(sqlOf(em), runId);
    if (!loaded) return;
    const tenant = await this.tenantFacts(em, loaded);
    const executor = new RunExecutor(
      {
        db: this.options.runPool,
        engine: this.options.engine,
        log: this.options.log,
        owner: this.owner,
        tuning: this.options.tuning,
        onEvent: this.options.onEvent,
        origin,
      },
      loaded.state,
      tenant,
      this.draining.signal,
      this.stopping.signal,
      loaded.cancelRequested,
    );
    await executor.execute(resumed);
  }

  private async tenantFacts(em: EntityManager, loaded: LoadedRun): Promise<TenantFacts> {
    const [row] = await sqlOf(em)<{ id: string; name: string; slug: string; country_code: string; admin_email: string; admin_name: string }>(
      `SELECT id, name, slug, country_code, admin_email, admin_name FROM tenant WHERE id = ?`,
      [loaded.state.tenantId],
    );
    if (!row) throw new Error(`Tenant ${loaded.state.tenantId} of run ${loaded.state.id} no longer exists.`);
    return { id: row.id, name: row.name, slug: row.slug, countryCode: row.country_code, adminEmail: row.admin_email, adminName: row.admin_name };
  }

  private lease() {
    return { owner: this.owner, ms: this.options.tuning.leaseMs };
  }

  private assertAccepting(): void {
    if (this.draining.signal.aborted) {
      throw new AppError('ENGINE_UNAVAILABLE', 'This server is shutting down: send the request again, another replica will take it.');
    }
  }

  private logBackgroundError(error: unknown, message: string): void {
    const level = isDatabaseUnavailable(error) ? 'warn' : 'error';
    this.options.log[level]({ err: toError(error) }, message);
  }
}

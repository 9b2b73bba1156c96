import type { EntityManager } from '@mikro-orm/postgresql';
import { context } from '@opentelemetry/api';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { ErpEngine } from '../engine/port.js';
import { AppError, notFound } from '../lib/errors.js';
import { Tenant } from '../tenants/tenant.entity.js';
import type { Admission, Schedule } from './commands/admit.js';
import { cancelRun } from './commands/cancel-run.js';
import { deprovisionRun } from './commands/deprovision-run.js';
import { resumeRun, type ResumeMode } from './commands/resume-run.js';
import { skipStep } from './commands/skip-step.js';
import { startRun, startRunIn, type StartOptions } from './commands/start-run.js';
import { queuePosition } from './db/admission.js';
import { latestStoredView } from './db/latest-view.js';
import { latestRun } from './db/load-run.js';
import { Dispatcher } from './execution/dispatcher.js';
import { RunStatus, type DeprovisionMode, type StepKey } from './model.js';
import { stepDefinition, type StepCatalogue } from './plan/index.js';
import { templatesView, type TemplateView } from './plan-view.js';
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
  /** The steps' implementations: the plan's own unless given (the bench runs no-op steps through the whole path). */
  steps?: StepCatalogue;
}

/**
 * Durable in-process orchestration, as commands: each writes the run and returns at once; the
 * dispatcher executes runs in the background of this process under a lease, admits queued ones
 * as slots free up, and resumes runs whose lease expired. Knows nothing of GraphQL or HTTP.
 */
export class Orchestrator {
  readonly owner: string;
  private readonly dispatcher: Dispatcher;

  constructor(private readonly options: OrchestratorOptions) {
    this.owner = options.owner ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.dispatcher = new Dispatcher({
      em: options.em,
      writer: options.writer,
      engine: options.engine,
      log: options.log,
      tuning: options.tuning,
      owner: this.owner,
      steps: options.steps ?? stepDefinition,
      onEngineUnreachable: (reason) => options.availability.markUnreachable(reason),
    });
  }

  start(): void {
    this.dispatcher.start();
  }

  get activeRuns(): number {
    return this.dispatcher.activeRuns;
  }

  /** The templates a run may start from, each step with its dependencies and retry policy. */
  templates(): TemplateView[] {
    return templatesView(this.options.tuning);
  }

  async startProvisioning(tenantId: string, options: StartOptions, actor: string): Promise<ProvisioningView> {
    this.assertAccepting();
    this.assertEngineOnline();
    return this.dispatched(await startRun(this.options.writer, this.options.em, { tenantId, options, actor, admission: this.admission() }));
  }

  /**
   * Runs `insert` (a new tenant) and starts its provisioning in one transaction, so that the
   * tenant and its run exist together or not at all (createTenant with autoStart).
   */
  async createAndStart(em: EntityManager, insert: (tx: EntityManager) => Promise<Tenant>, options: StartOptions, actor: string): Promise<Tenant> {
    this.assertAccepting();
    this.assertEngineOnline();
    const { tenant, started } = await this.options.writer.transaction(em, async (tx, record) => {
      const tenant = await insert(tx);
      return { tenant, started: await startRunIn(tx, record, { tenantId: tenant.id, options, actor, admission: this.admission() }) };
    });
    await this.dispatched(started);
    return tenant;
  }

  async resume(tenantId: string, mode: ResumeMode, schedule: Schedule, actor: string): Promise<ProvisioningView> {
    this.assertAccepting();
    this.assertEngineOnline();
    return this.dispatched(await resumeRun(this.options.writer, this.options.em, { tenantId, mode, actor, admission: this.admission(), schedule }));
  }

  /** Takes the tenant down in the engine as a run of its own, executed like any other. */
  async deprovision(tenantId: string, mode: DeprovisionMode, actor: string): Promise<ProvisioningView> {
    this.assertAccepting();
    this.assertEngineOnline();
    return this.dispatched(await deprovisionRun(this.options.writer, this.options.em, { tenantId, mode, actor, admission: this.admission() }));
  }

  skip(tenantId: string, step: StepKey, reason: string | null, actor: string): Promise<ProvisioningView> {
    return skipStep(this.options.writer, this.options.em, { tenantId, step, reason, actor });
  }

  cancel(tenantId: string, actor: string): Promise<ProvisioningView> {
    return cancelRun(this.options.writer, this.options.em, { tenantId, actor });
  }

  /** The latest run of a tenant as clients see it, or null before the first start; NOT_FOUND for no tenant. */
  async latest(em: EntityManager, tenantId: string): Promise<ProvisioningView | null> {
    return (await this.current(em, tenantId)).view;
  }

  /**
   * The tenant's last event seq and the state it describes (as that event stored it; from the
   * rows when an older version stored it), with its place in the queue now.
   */
  async current(em: EntityManager, tenantId: string): Promise<{ lastEventSeq: number; view: ProvisioningView | null }> {
    const latest = await latestStoredView(em, tenantId);
    if (!latest) throw notFound('Tenant', tenantId);
    const view = latest.view ?? (await this.viewFromRows(em, tenantId, latest.lastEventSeq));
    return { lastEventSeq: latest.lastEventSeq, view: view?.status === RunStatus.QUEUED ? await this.withQueuePosition(em, view) : view };
  }

  private async viewFromRows(em: EntityManager, tenantId: string, lastEventSeq: number): Promise<ProvisioningView | null> {
    const run = await latestRun(em, tenantId);
    return run && toView(run, lastEventSeq);
  }

  /** Another replica's run ended (its slot is free), or it released runs at shutdown. */
  admitSoon(): void {
    this.dispatcher.admitSoon();
  }

  /** Sweeps now (another replica released runs, or a test wants no wait). */
  sweep(): Promise<void> {
    return this.dispatcher.sweep();
  }

  shutdown(): Promise<void> {
    return this.dispatcher.shutdown();
  }

  /**
   * An admitted run starts executing here now, under the request's context; a queued one waits
   * for the dispatcher, and the caller learns its place in the queue.
   */
  private async dispatched(started: { view: ProvisioningView; admitted: boolean }): Promise<ProvisioningView> {
    if (started.admitted) {
      this.dispatcher.launch(started.view.id, false, context.active());
      return started.view;
    }
    this.dispatcher.admitSoon();
    return started.view.status === RunStatus.QUEUED ? this.withQueuePosition(this.options.em.fork(), started.view) : started.view;
  }

  private async withQueuePosition(em: EntityManager, view: ProvisioningView): Promise<ProvisioningView> {
    return { ...view, queuePosition: await queuePosition(em, view.id) };
  }

  private admission(): Admission {
    const { leaseMs, engineMaxActiveRuns, maxActiveRunsPerProcess } = this.options.tuning;
    return { owner: this.owner, leaseMs, engineMaxActiveRuns, maxActiveRunsPerProcess };
  }

  private assertAccepting(): void {
    if (this.dispatcher.isDraining) {
      throw new AppError('ENGINE_UNAVAILABLE', 'This server is shutting down: send the request again, another replica will take it.');
    }
  }

  private assertEngineOnline(): void {
    // Only a known "offline" refuses: a start never waits on the engine.
    const health = this.options.availability.peek();
    if (health && !health.online) {
      throw new AppError('ENGINE_UNAVAILABLE', `The ERP engine is offline (${health.message}). Try again once engineHealth reports it online.`);
    }
  }
}

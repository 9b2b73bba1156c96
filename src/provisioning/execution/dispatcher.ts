import type { EntityManager } from '@mikro-orm/postgresql';
import { ROOT_CONTEXT, type Context } from '@opentelemetry/api';
import type { Logger } from 'pino';
import type { ErpEngine } from '../../engine/port.js';
import { isDatabaseUnavailable, toError } from '../../lib/errors.js';
import { Tenant } from '../../tenants/tenant.entity.js';
import { anyQueued, dueScheduledRuns, executingRuns, lockAdmission, queueHead, type WaitingRun } from '../db/admission.js';
import { claimOrphanedRuns, releaseLeases, renewLeases } from '../db/leases.js';
import { loadRun, lockLatestRun } from '../db/load-run.js';
import { lockTenant } from '../db/lock-tenant.js';
import { EventType, RunStatus } from '../model.js';
import type { TenantFacts } from '../plan/step-definition.js';
import { runMessage } from '../run-kinds.js';
import type { TransitionWriter } from '../transitions/transition-writer.js';
import type { StepCatalogue } from '../plan/index.js';
import type { ProvisioningTuning } from '../tuning.js';
import { RunExecutor } from './run-executor.js';

export interface DispatcherOptions {
  em: EntityManager;
  writer: TransitionWriter;
  engine: ErpEngine;
  log: Logger;
  tuning: ProvisioningTuning;
  owner: string;
  steps: StepCatalogue;
  /** A step could not reach the engine. */
  onEngineUnreachable: (reason: string) => void;
}

/** At most this many orphaned or due runs are taken per sweep, so one replica does not take all. */
const SWEEP_BATCH = 25;

/**
 * Runs the runs of this process: launches executors under their leases and renews those, takes
 * queued runs when slots are free (admission), promotes scheduled runs whose time came, resumes
 * runs whose lease expired (sweep), and stops it all gracefully. Knows nothing of GraphQL or HTTP.
 */
export class Dispatcher {
  private readonly executing = new Map<string, Promise<void>>();
  private readonly draining = new AbortController();
  private readonly stopping = new AbortController();
  private timers: NodeJS.Timeout[] = [];
  private sweeping: Promise<void> | null = null;
  private admitting: Promise<void> | null = null;
  private admitAgain = false;

  constructor(private readonly options: DispatcherOptions) {}

  /** Starts the lease renewal and the periodic sweep (one right away: runs left by a crash resume now). */
  start(): void {
    const { leaseMs, sweepIntervalMs } = this.options.tuning;
    this.timers.push(setInterval(() => void this.renew(), Math.max(10, Math.floor(leaseMs / 3))));
    this.timers.push(setInterval(() => void this.sweep(), sweepIntervalMs));
    void this.sweep();
  }

  get activeRuns(): number {
    return this.executing.size;
  }

  /** Shutting down: new runs are refused, so that another replica takes them. */
  get isDraining(): boolean {
    return this.draining.signal.aborted;
  }

  /** `origin`: the context of the request that started the run (its trace, its request id). */
  launch(runId: string, resumed: boolean, origin: Context = ROOT_CONTEXT): void {
    if (this.executing.has(runId)) return;
    const execution = this.execute(runId, resumed, origin)
      .catch((error) => this.abandon(runId, error))
      .finally(() => {
        this.executing.delete(runId);
        // A slot is free: the head of the queue may go.
        this.admitSoon();
      });
    this.executing.set(runId, execution);
  }

  /**
   * Lets queued runs execute while there are free slots; coalesces calls that arrive while one
   * admission is under way into one more round after it.
   */
  admitSoon(): void {
    if (this.draining.signal.aborted) return;
    if (this.admitting) {
      this.admitAgain = true;
      return;
    }
    this.admitting = (async () => {
      do {
        this.admitAgain = false;
        try {
          for (const runId of await this.admitQueued()) this.launch(runId, false);
        } catch (error) {
          this.logBackgroundError(error, 'admission of queued runs failed; the next sweep tries again');
        }
      } while (this.admitAgain && !this.draining.signal.aborted);
    })().finally(() => (this.admitting = null));
  }

  /** Sweeps now: scheduled runs whose time came join the queue, orphaned runs resume, queued runs are admitted. */
  sweep(): Promise<void> {
    if (this.sweeping || this.draining.signal.aborted) return this.sweeping ?? Promise.resolve();
    this.sweeping = (async () => {
      try {
        await this.promoteDueScheduled();
        const room = Math.min(SWEEP_BATCH, this.options.tuning.maxActiveRunsPerProcess - this.executing.size);
        const claimed = room > 0 ? await claimOrphanedRuns(this.options.em, this.options.owner, this.options.tuning.leaseMs, room) : [];
        for (const runId of claimed) this.launch(runId, true);
        if (claimed.length) this.options.log.info({ claimed }, 'claimed runs whose lease had expired');
        this.admitSoon();
      } catch (error) {
        this.logBackgroundError(error, 'sweep for orphaned and scheduled runs failed');
      } finally {
        this.sweeping = null;
      }
    })();
    return this.sweeping;
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
    while (this.executing.size > 0 || this.sweeping || this.admitting) {
      await Promise.allSettled([...this.executing.values(), this.sweeping, this.admitting]);
    }
    clearTimeout(grace);
    this.stopping.abort();
    try {
      const released = await releaseLeases(this.options.em, this.options.owner, { sweepNow: true });
      this.options.log.info({ released, owner: this.options.owner }, 'orchestrator stopped; leases released');
    } catch (error) {
      this.options.log.warn({ err: toError(error) }, 'could not release leases at shutdown; they expire on their own');
    }
  }

  /**
   * One admission round, under the admission lock (so the counts stay true until it commits):
   * as many runs from the head of the queue as there are free slots, each RUN_STARTED and leased
   * to this process. A run cancelled meanwhile is passed over.
   */
  private async admitQueued(): Promise<string[]> {
    const { tuning, owner } = this.options;
    // Most rounds find the queue empty: they must not hold the lock a mutation would try to take.
    if (!(await anyQueued(this.options.em.fork()))) return [];
    return this.options.writer.transaction(this.options.em, async (tx, record) => {
      await lockAdmission(tx);
      const { everywhere, here } = await executingRuns(tx, owner);
      const free = Math.min(tuning.engineMaxActiveRuns - everywhere, tuning.maxActiveRunsPerProcess - here);
      if (free <= 0) return [];
      const admitted: string[] = [];
      for (const head of await queueHead(tx, free)) {
        const run = await this.lockWaiting(tx, head, RunStatus.QUEUED);
        if (!run) continue;
        run.status = RunStatus.IN_PROGRESS;
        await record({
          run,
          event: { type: EventType.RUN_STARTED, message: runMessage(run, `Started by ${owner}: a slot came free`) },
          author: { command: true, lease: { owner, ms: tuning.leaseMs } },
        });
        admitted.push(run.id);
      }
      return admitted;
    });
  }

  /** Scheduled runs whose time has come join the queue, in their own transaction each. */
  private async promoteDueScheduled(): Promise<void> {
    for (const due of await dueScheduledRuns(this.options.em.fork(), SWEEP_BATCH)) {
      await this.options.writer.transaction(this.options.em, async (tx, record) => {
        const run = await this.lockWaiting(tx, due, RunStatus.SCHEDULED);
        if (!run) return;
        run.status = RunStatus.QUEUED;
        await record({
          run,
          event: { type: EventType.RUN_QUEUED, message: runMessage(run, 'Its scheduled time came; queued until a slot is free') },
          author: { command: true, enqueue: true },
        });
      });
    }
  }

  /** The waiting run, locked the way commands lock (tenant first), if it is still `status`. */
  private async lockWaiting(tx: EntityManager, waiting: WaitingRun, status: RunStatus) {
    await lockTenant(tx, waiting.tenantId);
    const run = await lockLatestRun(tx, waiting.tenantId);
    return run?.id === waiting.id && run.status === status ? run : null;
  }

  /** Renews the leases of the runs executing here, and only those. */
  private async renew(): Promise<void> {
    const runIds = [...this.executing.keys()];
    if (runIds.length === 0) return;
    try {
      const held = await renewLeases(this.options.em, this.options.owner, this.options.tuning.leaseMs, runIds);
      // A run that lost its lease learns so at its next write, and says so there.
      for (const runId of runIds) {
        if (!held.has(runId)) this.options.log.debug({ runId }, 'lease not renewed: the run finished or was taken over');
      }
    } catch (error) {
      this.logBackgroundError(error, 'lease renewal failed');
    }
  }

  /**
   * An execution that stopped with an error gives its run back at once, so the next sweep (here
   * or on another replica) resumes it within one sweep interval rather than after the lease.
   */
  private async abandon(runId: string, error: unknown): Promise<void> {
    this.logBackgroundError(error, 'run execution stopped with an error; released for the next sweep to resume');
    await releaseLeases(this.options.em, this.options.owner, { runIds: [runId], sweepNow: false }).catch((releaseError) =>
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
        owner: this.options.owner,
        tuning: this.options.tuning,
        steps: this.options.steps,
        origin,
        onEngineUnreachable: this.options.onEngineUnreachable,
      },
      run,
      await tenantFacts(em, run.tenant.id),
      this.draining.signal,
      this.stopping.signal,
    );
    await executor.execute(resumed);
  }

  private logBackgroundError(error: unknown, message: string): void {
    const level = isDatabaseUnavailable(error) ? 'warn' : 'error';
    this.options.log[level]({ err: toError(error) }, message);
  }
}

async function tenantFacts(em: EntityManager, tenantId: string): Promise<TenantFacts> {
  const tenant = await em.findOneOrFail(Tenant, tenantId);
  return { id: tenant.id, name: tenant.name, slug: tenant.slug, countryCode: tenant.countryCode, adminEmail: tenant.adminEmail, adminName: tenant.adminName };
}

import { isSpanContextValid, ROOT_CONTEXT, SpanStatusCode, trace, type Context } from '@opentelemetry/api';
import type { Logger } from 'pino';
import type { ErpEngine } from '../../engine/port.js';
import { toError } from '../../lib/errors.js';
import { requestIdOf } from '../../lib/request-origin.js';
import type { ProvisioningRun } from '../entities/provisioning-run.entity.js';
import type { ProvisioningStep } from '../entities/provisioning-step.entity.js';
import { EventType, RunStatus, StepCriticality, StepStatus } from '../model.js';
import type { StepCatalogue } from '../plan/index.js';
import { effectiveRetryPolicy } from '../plan/retry-policy.js';
import type { AnyStepDefinition, TenantFacts } from '../plan/step-definition.js';
import { runEnd, runMessage, type RunEnd } from '../run-kinds.js';
import { stepsOf } from '../runs.js';
import { LeaseLostError, StartRefusedError, type Transition } from '../transitions/transition.js';
import type { TransitionWriter } from '../transitions/transition-writer.js';
import type { ProvisioningTuning } from '../tuning.js';
import { withinDeadline } from './attempt-deadline.js';
import { CommitQueue } from './commit-queue.js';
import type { Failure } from './failure.js';
import { readySteps, unknownSteps } from './ready-steps.js';
import { attemptWithRetries } from './step-attempts.js';

export interface ExecutorDeps {
  writer: TransitionWriter;
  engine: ErpEngine;
  log: Logger;
  owner: string;
  tuning: ProvisioningTuning;
  steps: StepCatalogue;
  /** The context of the request that started the run: parent of the run's span, and its request id. */
  origin?: Context;
  /** A step failed because the engine could not be reached: say so to the health check at once. */
  onEngineUnreachable?: (reason: string) => void;
}

/** Failures that mean the engine is not there (rather than that it refused something). */
const UNREACHABLE: ReadonlySet<string> = new Set(['ENGINE_NETWORK', 'ENGINE_TIMEOUT']);

/** The OpenTelemetry API alone (no SDK): spans are recorded when the service registered a provider. */
const tracer = trace.getTracer('provisioning-orchestrator');

/** The run ended (or was handed over) without this process finishing it. */
class StopExecution extends Error {}

/**
 * Executes one run to its end: every step whose dependencies are done starts, up to
 * MAX_PARALLEL_STEPS at once; a critical failure, a cancel or a shutdown starts no more while
 * the running ones finish. Every transition is committed with its event. Holds no lock: the
 * lease (renewed by the dispatcher) is what makes this process the only one working on the run.
 */
export class RunExecutor {
  private cancelRequested: boolean;
  private log: Logger;
  private readonly running = new Map<ProvisioningStep, Promise<void>>();
  /** Commits of steps' ends not confirmed yet (see `ending`). */
  private readonly endings = new Set<Promise<void>>();
  private failedCritically: ProvisioningStep | undefined;
  private handedOver = false;
  private readonly commits: CommitQueue;

  constructor(
    private readonly deps: ExecutorDeps,
    private readonly run: ProvisioningRun,
    private readonly tenant: TenantFacts,
    /** Set when the process is shutting down: finish the running steps, start no other. */
    private readonly draining: AbortSignal,
    /** Aborted at the shutdown deadline: stop even the running steps (they stay unfinished). */
    private readonly stop: AbortSignal,
  ) {
    this.cancelRequested = run.cancelRequested;
    const requestId = deps.origin && requestIdOf(deps.origin);
    this.log = deps.log.child({ tenantId: run.tenant.id, runId: run.id, ...(requestId ? { requestId } : {}) });
    this.commits = new CommitQueue(deps.writer, {
      // After a lease's time without the database, the run is someone else's anyway.
      maxWaitMs: deps.tuning.leaseMs,
      stop,
      onDatabaseWait: (error, retryInMs) => this.log.warn({ err: error, retryInMs }, 'database unavailable; will commit the transition when it is back'),
    });
  }

  /** One span for the run, under the request that started it (a new trace when resumed by a sweep). */
  execute(resumed: boolean): Promise<void> {
    const attributes = { 'tenant.id': this.run.tenant.id, 'provisioning.run.id': this.run.id, 'provisioning.resumed': resumed };
    return tracer.startActiveSpan('provisioning run', { attributes }, this.deps.origin ?? ROOT_CONTEXT, async (span) => {
      if (isSpanContextValid(span.spanContext())) this.log = this.log.child({ traceId: span.spanContext().traceId });
      try {
        await this.executePlan(resumed);
        span.setAttribute('provisioning.run.status', this.run.status);
        if (this.run.status === RunStatus.FAILED) span.setStatus({ code: SpanStatusCode.ERROR, message: 'run failed' });
      } catch (error) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: toError(error).message });
        throw error;
      } finally {
        span.end();
      }
    });
  }

  private async executePlan(resumed: boolean): Promise<void> {
    try {
      if (resumed) {
        this.run.status = RunStatus.IN_PROGRESS;
        await this.commit({ event: { type: EventType.RUN_RESUMED, message: runMessage(this.run, `Resumed by ${this.deps.owner}`) } });
      }
      const unknown = unknownSteps(this.run, this.deps.steps);
      if (unknown.length) return await this.failUnknown(unknown);
      await this.runSteps();
      if (this.handedOver || this.draining.aborted) return await this.allEnded();
      if (this.failedCritically) return await this.finish(RunStatus.FAILED, this.failedCritically);
      if (this.cancelRequested) return await this.finish(RunStatus.CANCELLED);
      // A failed non-critical step, and the steps that waited for it, leave the run PARTIAL.
      const complete = stepsOf(this.run).every((step) => step.status === StepStatus.COMPLETED || step.status === StepStatus.SKIPPED);
      await this.finish(complete ? RunStatus.COMPLETED : RunStatus.PARTIAL);
    } catch (error) {
      if (!this.stoppedBy(error)) throw error;
    }
  }

  /**
   * Starts every ready step while the run may go on, and waits until none is running (the last
   * ends may still be committing: the run's own end joins them).
   */
  private async runSteps(): Promise<void> {
    for (;;) {
      if (this.mayStartSteps()) {
        const room = this.deps.tuning.maxParallelSteps - this.running.size;
        for (const step of readySteps(this.run, this.running.keys(), this.deps.steps).slice(0, Math.max(0, room))) this.launch(step);
      }
      if (this.running.size === 0) return;
      await Promise.race([...this.running.values(), ...this.endings]);
    }
  }

  /**
   * A step's end goes into the same transaction as the starts it lets happen: the executor
   * moves on once the end is taken down (CommitQueue keeps the order), not once it is committed.
   * A failed commit stays in `endings`, so whoever waits on them next meets its error.
   */
  private ending(commit: Promise<void>): void {
    this.endings.add(commit);
    commit.then(
      () => this.endings.delete(commit),
      () => undefined,
    );
  }

  private async allEnded(): Promise<void> {
    await Promise.all(this.endings);
  }

  private mayStartSteps(): boolean {
    return !this.failedCritically && !this.cancelRequested && !this.handedOver && !this.draining.aborted;
  }

  private launch(step: ProvisioningStep): void {
    const definition = this.deps.steps(step.key)!;
    const execution = this.runStep(definition, step)
      .catch((error) => {
        if (!this.stoppedBy(error)) throw error;
      })
      .finally(() => this.running.delete(step));
    this.running.set(step, execution);
  }

  /** A lost lease or the shutdown deadline ends the run here; anything else is a bug. */
  private stoppedBy(error: unknown): boolean {
    if (error instanceof StopExecution) return (this.handedOver = true);
    if (error instanceof LeaseLostError) {
      if (!this.handedOver) this.log.warn('lease lost: another process has taken this run over; stopping here');
      return (this.handedOver = true);
    }
    return false;
  }

  /** One span per step, child of the run's; the engine calls of the step are its children. */
  private runStep(definition: AnyStepDefinition, step: ProvisioningStep): Promise<void> {
    const attributes = { 'provisioning.step': definition.key, 'provisioning.step.index': step.index };
    return tracer.startActiveSpan(`provisioning step ${definition.key}`, { attributes }, async (span) => {
      try {
        await this.executeStep(definition, step);
        span.setAttributes({ 'provisioning.step.status': step.status, 'provisioning.step.attempts': step.attempts });
        if (step.status === StepStatus.FAILED) {
          span.setAttribute('provisioning.step.error_code', step.errorCode ?? 'unknown');
          span.setStatus({ code: SpanStatusCode.ERROR, message: step.error ?? 'step failed' });
        }
      } catch (error) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: toError(error).message });
        throw error;
      } finally {
        span.end();
      }
    });
  }

  /** Runs one step to COMPLETED, SKIPPED or FAILED. */
  private async executeStep(definition: AnyStepDefinition, step: ProvisioningStep): Promise<void> {
    const skipReason = definition.skipReason?.(this.run.config, this.run.resources);
    if (skipReason) {
      const skipped = { status: StepStatus.SKIPPED, skipReason, skippedBy: 'system', message: `Skipped: ${skipReason}`, completedAt: new Date() };
      await this.begin(step, skipped, EventType.STEP_SKIPPED, `${definition.title}: skipped (${skipReason})`);
      return;
    }
    const startedAt = Date.now();
    const running = { status: StepStatus.RUNNING, attempts: step.attempts + 1, startedAt: new Date(), completedAt: null, error: null, errorCode: null };
    if (!(await this.begin(step, running, EventType.STEP_STARTED, `${definition.title}: started`))) return;

    const outcome = await attemptWithRetries({
      step: definition.key,
      policy: effectiveRetryPolicy(definition.retry, this.deps.tuning),
      signal: this.stop,
      attempt: () => this.attempt(definition, step),
      onRetry: (failure, delayMs) => this.recordRetry(definition, step, failure, delayMs),
    });
    if (this.stop.aborted) throw new StopExecution();
    const ended = { completedAt: new Date(), durationMs: Date.now() - startedAt };
    if (outcome.ok) {
      Object.assign(this.run.resources, outcome.value.resources ?? {});
      Object.assign(step, { ...ended, status: StepStatus.COMPLETED, message: outcome.value.message, output: outcome.value.output ?? null, error: null, errorCode: null });
      return this.ending(this.commitStep(step, EventType.STEP_COMPLETED, `${definition.title}: ${outcome.value.message}`));
    }
    const { failure } = outcome;
    if (UNREACHABLE.has(failure.code)) this.deps.onEngineUnreachable?.(failure.message);
    if (failure.errorClass === 'internal') this.log.error({ err: failure.cause, step: definition.key }, 'step failed with an unexpected error');
    Object.assign(step, { ...ended, status: StepStatus.FAILED, error: failure.message, errorCode: failure.code, message: null });
    if (definition.criticality === StepCriticality.CRITICAL) this.failedCritically ??= step;
    this.ending(this.commitStep(step, EventType.STEP_FAILED, `${definition.title} failed: ${failure.message}`, failure));
  }

  /**
   * Starts (or skips) a step that had not begun, and whether that is committed: a run asked to
   * cancel meanwhile leaves the step, and the run's current step, as they were.
   */
  private async begin(step: ProvisioningStep, change: Partial<ProvisioningStep>, type: EventType, message: string): Promise<boolean> {
    const before = { ...valuesOf(step, change), currentStep: this.run.currentStep };
    Object.assign(step, change);
    if (type === EventType.STEP_STARTED) this.run.currentStep = step.key;
    try {
      await this.commitStep(step, type, message);
      return true;
    } catch (error) {
      if (!(error instanceof StartRefusedError)) throw error;
      const { currentStep, ...unchanged } = before;
      Object.assign(step, unchanged);
      this.run.currentStep = currentStep;
      this.cancelRequested = true;
      return false;
    }
  }

  private attempt(definition: AnyStepDefinition, step: ProvisioningStep) {
    const context = { engine: this.deps.engine, tenant: this.tenant, config: this.run.config, input: step.input, resources: this.run.resources };
    return withinDeadline((signal) => definition.run({ ...context, signal }), {
      timeoutMs: Math.round(definition.timeoutMs * this.deps.tuning.stepTimeoutScale),
      stop: this.stop,
      what: `${definition.title} (${definition.key})`,
    });
  }

  private async recordRetry(definition: AnyStepDefinition, step: ProvisioningStep, failure: Failure, delayMs: number): Promise<void> {
    step.attempts += 1;
    Object.assign(step, { status: StepStatus.RETRYING, error: failure.message, errorCode: failure.code });
    trace.getActiveSpan()?.addEvent('retrying', { 'provisioning.step.attempt': step.attempts - 1, 'erp.error_code': failure.code, 'retry.delay_ms': delayMs });
    await this.commitStep(step, EventType.STEP_RETRYING, `${definition.title}: attempt ${step.attempts - 1} failed (${failure.message}); retrying`, failure);
  }

  /** A run that stored steps this version does not know cannot be executed: it fails, saying which. */
  private async failUnknown(unknown: ProvisioningStep[]): Promise<void> {
    const keys = unknown.map((step) => step.key).join(', ');
    const message = `This run has steps this version of the service does not know (${keys}): start a new run, or deploy a version that knows them.`;
    for (const step of unknown) Object.assign(step, { status: StepStatus.FAILED, error: message, errorCode: 'INVALID_STATE', completedAt: new Date() });
    await this.commit({ steps: unknown, event: { type: EventType.STEP_FAILED, step: unknown[0]!.key, message }, errorClass: 'permanent' });
    await this.finish(RunStatus.FAILED, unknown[0]);
  }

  private async finish(status: RunEnd, failedStep?: ProvisioningStep): Promise<void> {
    Object.assign(this.run, { status, completedAt: new Date() });
    const stoppedAt = status === RunStatus.FAILED ? `${failedStep?.key}: ${failedStep?.error}` : this.failedSteps();
    const end = runEnd(this.run, status, stoppedAt);
    await this.commit({ event: { type: end.type, message: end.message }, tenant: end.tenant });
  }

  private failedSteps(): string {
    return stepsOf(this.run)
      .filter((step) => step.status === StepStatus.FAILED)
      .map((step) => step.key)
      .join(', ');
  }

  private commitStep(step: ProvisioningStep, type: EventType, message: string, failure?: Failure): Promise<void> {
    return this.commit({ steps: [step], event: { type, step: step.key, message }, errorClass: failure?.errorClass });
  }

  private async commit(change: Omit<Transition, 'run' | 'author'>): Promise<void> {
    const committed = await this.commits.commit({ ...change, run: this.run, author: { leaseOwner: this.deps.owner } });
    this.cancelRequested ||= committed.cancelRequested;
  }
}

/** The current values of `step` for the fields `change` sets. */
function valuesOf(step: ProvisioningStep, change: Partial<ProvisioningStep>): Partial<ProvisioningStep> {
  return Object.fromEntries(Object.keys(change).map((key) => [key, step[key as keyof ProvisioningStep]]));
}

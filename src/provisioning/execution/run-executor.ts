import { isSpanContextValid, ROOT_CONTEXT, SpanStatusCode, trace, type Context } from '@opentelemetry/api';
import type { Logger } from 'pino';
import type { ErpEngine } from '../../engine/port.js';
import { isDatabaseUnavailable, toError } from '../../lib/errors.js';
import { requestIdOf } from '../../lib/request-origin.js';
import { SECOND } from '../../lib/time.js';
import { retry } from '../../lib/retry.js';
import { TenantProvisioningStatus } from '../../tenants/model.js';
import type { ProvisioningRun } from '../entities/provisioning-run.entity.js';
import type { ProvisioningStep } from '../entities/provisioning-step.entity.js';
import { CANCELLED_MESSAGE, EventType, RunStatus, StepCriticality, StepStatus } from '../model.js';
import { PLAN } from '../plan/index.js';
import type { StepDefinition, TenantFacts } from '../plan/step-definition.js';
import { isStepDone, stepOf, stepsOf } from '../runs.js';
import { LeaseLostError, type Transition } from '../transitions/transition.js';
import type { TransitionWriter } from '../transitions/transition-writer.js';
import type { ProvisioningTuning } from '../tuning.js';
import type { Failure } from './failure.js';
import { withinDeadline } from './attempt-deadline.js';
import { attemptWithRetries } from './step-attempts.js';

export interface ExecutorDeps {
  writer: TransitionWriter;
  engine: ErpEngine;
  log: Logger;
  owner: string;
  tuning: ProvisioningTuning;
  /** The context of the request that started the run: parent of the run's span, and its request id. */
  origin?: Context;
  /** A step failed because the engine could not be reached: say so to the health check at once. */
  onEngineUnreachable?: (reason: string) => void;
}

/** Failures that mean the engine is not there (rather than that it refused something). */
const UNREACHABLE: ReadonlySet<string> = new Set(['ENGINE_NETWORK', 'ENGINE_TIMEOUT']);

/** The OpenTelemetry API alone (no SDK): spans are recorded when the service registered a provider. */
const tracer = trace.getTracer('provisioning-orchestrator');

/** A transition waits out a database outage from this delay, doubling up to the next. */
const DATABASE_RETRY_FIRST_MS = 100;
const DATABASE_RETRY_MAX_MS = 2 * SECOND;

/** The run ended (or was handed over) without this process finishing it. */
class StopExecution extends Error {}

type RunEnd = RunStatus.COMPLETED | RunStatus.PARTIAL | RunStatus.FAILED | RunStatus.CANCELLED;

const RUN_ENDS: Record<RunEnd, { type: EventType; tenant: TenantProvisioningStatus }> = {
  [RunStatus.COMPLETED]: { type: EventType.RUN_COMPLETED, tenant: TenantProvisioningStatus.PROVISIONED },
  [RunStatus.PARTIAL]: { type: EventType.RUN_PARTIAL, tenant: TenantProvisioningStatus.PARTIAL },
  [RunStatus.FAILED]: { type: EventType.RUN_FAILED, tenant: TenantProvisioningStatus.FAILED },
  [RunStatus.CANCELLED]: { type: EventType.RUN_CANCELLED, tenant: TenantProvisioningStatus.NOT_PROVISIONED },
};

/**
 * Executes one run from its first unfinished step to the end, committing every transition
 * with its event. Holds no lock between steps: the lease (renewed by the orchestrator) is what
 * makes this process the only one working on the run.
 */
export class RunExecutor {
  private cancelRequested: boolean;
  private log: Logger;

  constructor(
    private readonly deps: ExecutorDeps,
    private readonly run: ProvisioningRun,
    private readonly tenant: TenantFacts,
    /** Set when the process is shutting down: finish the running step, start no other. */
    private readonly draining: AbortSignal,
    /** Aborted at the shutdown deadline: stop even the running step (it stays unfinished). */
    private readonly stop: AbortSignal,
  ) {
    this.cancelRequested = run.cancelRequested;
    const requestId = deps.origin && requestIdOf(deps.origin);
    this.log = deps.log.child({ tenantId: run.tenant.id, runId: run.id, ...(requestId ? { requestId } : {}) });
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
        await this.commit({ event: { type: EventType.RUN_RESUMED, message: `Resumed by ${this.deps.owner}` } });
      }
      for (const definition of PLAN) {
        const step = stepOf(this.run, definition.key);
        // A failed non-critical step was already recorded; a retry or continue resets it first.
        if (isStepDone(step) || step.status === StepStatus.FAILED) continue;
        if (this.draining.aborted) return;
        if (this.cancelRequested) return await this.finish(RunStatus.CANCELLED);
        const failedCritically = await this.runStep(definition, step);
        if (failedCritically) return await this.finish(RunStatus.FAILED, step);
      }
      await this.finish(stepsOf(this.run).some((step) => step.status === StepStatus.FAILED) ? RunStatus.PARTIAL : RunStatus.COMPLETED);
    } catch (error) {
      if (error instanceof StopExecution) return;
      if (error instanceof LeaseLostError) {
        this.log.warn('lease lost: another process has taken this run over; stopping here');
        return;
      }
      throw error;
    }
  }

  /** One span per step, child of the run's; the engine calls of the step are its children. */
  private runStep(definition: StepDefinition, step: ProvisioningStep): Promise<boolean> {
    const attributes = { 'provisioning.step': definition.key, 'provisioning.step.index': step.index };
    return tracer.startActiveSpan(`provisioning step ${definition.key}`, { attributes }, async (span) => {
      try {
        const failedCritically = await this.executeStep(definition, step);
        span.setAttributes({ 'provisioning.step.status': step.status, 'provisioning.step.attempts': step.attempts });
        if (step.status === StepStatus.FAILED) {
          span.setAttribute('provisioning.step.error_code', step.errorCode ?? 'unknown');
          span.setStatus({ code: SpanStatusCode.ERROR, message: step.error ?? 'step failed' });
        }
        return failedCritically;
      } catch (error) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: toError(error).message });
        throw error;
      } finally {
        span.end();
      }
    });
  }

  /** Runs one step to COMPLETED, SKIPPED or FAILED; true when the run must stop as FAILED. */
  private async executeStep(definition: StepDefinition, step: ProvisioningStep): Promise<boolean> {
    const skipReason = definition.skipReason?.(this.run.config);
    if (skipReason) {
      Object.assign(step, { status: StepStatus.SKIPPED, skipReason, skippedBy: 'system', message: `Skipped: ${skipReason}`, completedAt: new Date() });
      await this.commitStep(step, EventType.STEP_SKIPPED, `${definition.title}: skipped (${skipReason})`);
      return false;
    }
    const startedAt = Date.now();
    Object.assign(step, { status: StepStatus.RUNNING, attempts: step.attempts + 1, startedAt: new Date(), completedAt: null, error: null, errorCode: null });
    this.run.currentStep = definition.key;
    await this.commitStep(step, EventType.STEP_STARTED, `${definition.title}: started`);

    const outcome = await attemptWithRetries({
      step: definition.key,
      policy: definition.retry,
      tuning: this.deps.tuning,
      signal: this.stop,
      attempt: () => this.attempt(definition),
      onRetry: (failure, delayMs) => this.recordRetry(definition, step, failure, delayMs),
    });
    if (this.stop.aborted) throw new StopExecution();
    const ended = { completedAt: new Date(), durationMs: Date.now() - startedAt };
    if (outcome.ok) {
      Object.assign(this.run.resources, outcome.value.resources ?? {});
      Object.assign(step, { ...ended, status: StepStatus.COMPLETED, message: outcome.value.message, output: outcome.value.output ?? null, error: null, errorCode: null });
      await this.commitStep(step, EventType.STEP_COMPLETED, `${definition.title}: ${outcome.value.message}`);
      return false;
    }
    const { failure } = outcome;
    if (UNREACHABLE.has(failure.code)) this.deps.onEngineUnreachable?.(failure.message);
    if (failure.errorClass === 'internal') this.log.error({ err: failure.cause, step: definition.key }, 'step failed with an unexpected error');
    Object.assign(step, { ...ended, status: StepStatus.FAILED, error: failure.message, errorCode: failure.code, message: null });
    await this.commitStep(step, EventType.STEP_FAILED, `${definition.title} failed: ${failure.message}`, failure);
    return definition.criticality === StepCriticality.CRITICAL;
  }

  private attempt(definition: StepDefinition) {
    return withinDeadline((signal) => definition.run({ engine: this.deps.engine, tenant: this.tenant, config: this.run.config, resources: this.run.resources, signal }), {
      timeoutMs: Math.round(definition.timeoutMs * this.deps.tuning.stepTimeoutScale),
      stop: this.stop,
      what: `${definition.title} (${definition.key})`,
    });
  }

  private async recordRetry(definition: StepDefinition, step: ProvisioningStep, failure: Failure, delayMs: number): Promise<void> {
    step.attempts += 1;
    Object.assign(step, { status: StepStatus.RETRYING, error: failure.message, errorCode: failure.code });
    trace.getActiveSpan()?.addEvent('retrying', { 'provisioning.step.attempt': step.attempts - 1, 'erp.error_code': failure.code, 'retry.delay_ms': delayMs });
    await this.commitStep(step, EventType.STEP_RETRYING, `${definition.title}: attempt ${step.attempts - 1} failed (${failure.message}); retrying`, failure);
  }

  private async finish(status: RunEnd, failedStep?: ProvisioningStep): Promise<void> {
    Object.assign(this.run, { status, completedAt: new Date() });
    const message = {
      [RunStatus.COMPLETED]: 'Provisioning completed: ready to sell',
      [RunStatus.PARTIAL]: `Provisioning finished with failed non-critical steps: ${this.failedSteps()}. Retry, continue or skip them.`,
      [RunStatus.FAILED]: `Provisioning failed at ${failedStep?.key}: ${failedStep?.error}. Fix the cause, then retry.`,
      [RunStatus.CANCELLED]: CANCELLED_MESSAGE,
    }[status];
    const end = RUN_ENDS[status];
    await this.commit({ event: { type: end.type, message }, tenant: { status: end.tenant, error: status === RunStatus.COMPLETED ? null : message } });
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

  /**
   * Commits, waiting out a database outage: the state is in memory, so nothing is lost while
   * PostgreSQL restarts. Gives up after a lease's time (the run is someone else's by then).
   */
  private async commit(change: Omit<Transition, 'run' | 'author'>): Promise<void> {
    const transition: Transition = { ...change, run: this.run, author: { leaseOwner: this.deps.owner } };
    const committed = await retry(() => this.deps.writer.commit(transition), {
      retries: Number.POSITIVE_INFINITY,
      maxRetryTime: this.deps.tuning.leaseMs,
      minTimeout: DATABASE_RETRY_FIRST_MS,
      maxTimeout: DATABASE_RETRY_MAX_MS,
      shouldRetry: ({ error }) => isDatabaseUnavailable(error) && !this.stop.aborted,
      onFailedAttempt: ({ error, retryDelay }) => {
        if (isDatabaseUnavailable(error)) this.log.warn({ err: error, retryInMs: retryDelay }, 'database unavailable; will commit the transition when it is back');
      },
    });
    this.cancelRequested ||= committed.cancelRequested;
  }
}

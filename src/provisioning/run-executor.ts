import type { RunPool } from './db/run-pool.js';
import { isSpanContextValid, ROOT_CONTEXT, SpanStatusCode, trace, type Context } from '@opentelemetry/api';
import pRetry from 'p-retry';
import type { Logger } from 'pino';
import { isEngineError } from '../engine/errors.js';
import type { ErpEngine } from '../engine/port.js';
import type { ProvisioningTuning } from '../server/config.js';
import { toError } from '../lib/errors.js';
import { requestIdOf } from '../lib/request-origin.js';
import { TenantProvisioningStatus } from '../tenants/tenant.entity.js';
import { LeaseLostError } from './db/save-state.js';
import type { EventRecord } from './db/append-event.js';
import { EventType, RunStatus, StepCriticality, StepStatus } from './model.js';
import { PLAN } from './plan/index.js';
import type { StepDefinition, TenantFacts } from './plan/step-definition.js';
import { isStepDone, stepOf, type RunState, type StepState } from './run-state.js';
import { commitDurably, type Transition } from './transition.js';

export interface ExecutorDeps {
  /** The executors' own connections (see RunPool). */
  db: RunPool;
  engine: ErpEngine;
  log: Logger;
  owner: string;
  tuning: ProvisioningTuning;
  /** Called after each committed transition (metrics, tracing). */
  onEvent?: (event: EventRecord, step?: StepState) => void;
  /** The context of the request that started the run: parent of the run's span, and its request id. */
  origin?: Context;
}

/** Why a step attempt failed: retried (transient), not retried (permanent), or our bug (internal). */
type ErrorClass = 'transient' | 'permanent' | 'internal';

/** The OpenTelemetry API alone (no SDK): spans are recorded when the service registered a provider. */
const tracer = trace.getTracer('provisioning-orchestrator');

/** Retry delays grow from the base up to this multiple of it (1 s base: at most 32 s). */
const MAX_BACKOFF_MULTIPLE = 32;

/** The run ended (or was handed over) without this process finishing it. */
class StopExecution extends Error {}

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
    private readonly state: RunState,
    private readonly tenant: TenantFacts,
    /** Set when the process is shutting down: finish the running step, start no other. */
    private readonly draining: AbortSignal,
    /** Aborted at the shutdown deadline: stop even the running step (it stays unfinished). */
    private readonly stop: AbortSignal,
    cancelRequested = false,
  ) {
    this.cancelRequested = cancelRequested;
    const requestId = deps.origin && requestIdOf(deps.origin);
    this.log = deps.log.child({ tenantId: state.tenantId, runId: state.id, ...(requestId ? { requestId } : {}) });
  }

  /** One span for the run, under the request that started it (a new trace when resumed by a sweep). */
  execute(resumed: boolean): Promise<void> {
    const attributes = { 'tenant.id': this.state.tenantId, 'provisioning.run.id': this.state.id, 'provisioning.resumed': resumed };
    return tracer.startActiveSpan('provisioning run', { attributes }, this.deps.origin ?? ROOT_CONTEXT, async (span) => {
      if (isSpanContextValid(span.spanContext())) this.log = this.log.child({ traceId: span.spanContext().traceId });
      try {
        await this.executePlan(resumed);
        span.setAttribute('provisioning.run.status', this.state.status);
        if (this.state.status === RunStatus.FAILED) span.setStatus({ code: SpanStatusCode.ERROR, message: 'run failed' });
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
        this.state.status = RunStatus.IN_PROGRESS;
        await this.commit({ event: { type: EventType.RUN_RESUMED, message: `Resumed by ${this.deps.owner}` } });
      }
      for (const definition of PLAN) {
        const step = stepOf(this.state, definition.key);
        // A failed non-critical step was already recorded; a retry or continue resets it first.
        if (isStepDone(step) || step.status === StepStatus.FAILED) continue;
        if (this.draining.aborted) return;
        if (this.cancelRequested) return await this.finish(RunStatus.CANCELLED);
        const failedCritically = await this.runStep(definition, step);
        if (failedCritically) return await this.finish(RunStatus.FAILED, step);
      }
      await this.finish(this.state.steps.some((step) => step.status === StepStatus.FAILED) ? RunStatus.PARTIAL : RunStatus.COMPLETED);
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
  private runStep(definition: StepDefinition, step: StepState): Promise<boolean> {
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
  private async executeStep(definition: StepDefinition, step: StepState): Promise<boolean> {
    const skipReason = definition.skipReason?.(this.state.config);
    if (skipReason) {
      Object.assign(step, { status: StepStatus.SKIPPED, skipReason, skippedBy: 'system', message: `Skipped: ${skipReason}`, completedAt: now() });
      await this.commit({ step, event: { type: EventType.STEP_SKIPPED, message: `${definition.title}: skipped (${skipReason})` } });
      return false;
    }
    const startedAt = Date.now();
    Object.assign(step, { status: StepStatus.RUNNING, attempts: step.attempts + 1, startedAt: now(), completedAt: null, error: null, errorCode: null });
    this.state.currentStep = definition.key;
    await this.commit({ step, event: { type: EventType.STEP_STARTED, message: `${definition.title}: started` } });

    try {
      const result = await pRetry(() => this.attempt(definition), {
        retries: definition.retry.retries ?? this.deps.tuning.retries,
        factor: definition.retry.factor,
        minTimeout: this.deps.tuning.retryBaseMs,
        // Without a cap, the delay doubles forever: with STEP_RETRIES=20 and a 1 s base the last
        // retry would wait days while the lease keeps the run from anyone else.
        maxTimeout: this.deps.tuning.retryBaseMs * MAX_BACKOFF_MULTIPLE,
        randomize: true,
        signal: this.stop,
        shouldRetry: ({ error }) => isEngineError(error) && error.retryable && !this.stop.aborted,
        onFailedAttempt: async ({ error, retriesLeft, retryDelay }) => {
          if (retriesLeft === 0 || !isEngineError(error) || !error.retryable || this.stop.aborted) return;
          step.attempts += 1;
          Object.assign(step, { status: StepStatus.RETRYING, error: error.message, errorCode: error.code });
          trace.getActiveSpan()?.addEvent('retrying', { 'provisioning.step.attempt': step.attempts - 1, 'erp.error_code': error.code, 'retry.delay_ms': retryDelay });
          await this.commit(
            { step, event: { type: EventType.STEP_RETRYING, message: `${definition.title}: attempt ${step.attempts - 1} failed (${error.message}); retrying` } },
            'transient',
          );
          // The engine asked for a longer pause (429 Retry-After) than our backoff would take.
          const extraWait = (error.retryAfterMs ?? 0) - retryDelay;
          if (extraWait > 0) await abortableDelay(extraWait, this.stop);
        },
      });
      Object.assign(this.state.resources, result.resources ?? {});
      Object.assign(step, {
        status: StepStatus.COMPLETED,
        completedAt: now(),
        durationMs: Date.now() - startedAt,
        message: result.message,
        output: result.output ?? null,
        error: null,
        errorCode: null,
      });
      await this.commit({ step, event: { type: EventType.STEP_COMPLETED, message: `${definition.title}: ${result.message}` } });
      return false;
    } catch (thrown) {
      if (this.stop.aborted) throw new StopExecution();
      if (thrown instanceof LeaseLostError || thrown instanceof StopExecution) throw thrown;
      const { code, message } = this.describeFailure(definition, thrown);
      Object.assign(step, { status: StepStatus.FAILED, completedAt: now(), durationMs: Date.now() - startedAt, error: message, errorCode: code, message: null });
      await this.commit({ step, event: { type: EventType.STEP_FAILED, message: `${definition.title} failed: ${message}` } }, errorClassOf(thrown));
      return definition.criticality === StepCriticality.CRITICAL;
    }
  }

  private attempt(definition: StepDefinition) {
    const signal = AbortSignal.any([this.stop, AbortSignal.timeout(definition.timeoutMs)]);
    return definition.run({ engine: this.deps.engine, tenant: this.tenant, config: this.state.config, resources: this.state.resources, signal });
  }

  /** Engine errors speak for themselves; anything else is our bug: logged, shown masked. */
  private describeFailure(definition: StepDefinition, thrown: unknown): { code: string; message: string } {
    if (isEngineError(thrown)) return { code: thrown.code, message: thrown.message };
    this.log.error({ err: toError(thrown), step: definition.key }, 'step failed with an unexpected error');
    return { code: 'INTERNAL_ERROR', message: `Unexpected internal error in step ${definition.key}; details are in the service log.` };
  }

  private async finish(status: RunStatus, failedStep?: StepState): Promise<void> {
    this.state.status = status;
    this.state.completedAt = now();
    const outcome = {
      [RunStatus.COMPLETED]: { type: EventType.RUN_COMPLETED, tenant: TenantProvisioningStatus.PROVISIONED, message: 'Provisioning completed: ready to sell' },
      [RunStatus.PARTIAL]: {
        type: EventType.RUN_PARTIAL,
        tenant: TenantProvisioningStatus.PARTIAL,
        message: `Provisioning finished with failed non-critical steps: ${this.failedSteps()}. Retry, continue or skip them.`,
      },
      [RunStatus.FAILED]: {
        type: EventType.RUN_FAILED,
        tenant: TenantProvisioningStatus.FAILED,
        message: `Provisioning failed at ${failedStep?.key}: ${failedStep?.error}. Fix the cause, then retry.`,
      },
      [RunStatus.CANCELLED]: {
        type: EventType.RUN_CANCELLED,
        tenant: TenantProvisioningStatus.NOT_PROVISIONED,
        message: 'Provisioning cancelled; continue or retry it to resume where it stopped.',
      },
    }[status as RunStatus.COMPLETED | RunStatus.PARTIAL | RunStatus.FAILED | RunStatus.CANCELLED];
    const error = status === RunStatus.COMPLETED ? null : outcome.message;
    await this.commit({ event: { type: outcome.type, message: outcome.message }, tenant: { status: outcome.tenant, error } });
  }

  private failedSteps(): string {
    return this.state.steps
      .filter((step) => step.status === StepStatus.FAILED)
      .map((step) => step.key)
      .join(', ');
  }

  private async commit(transition: Omit<Transition, 'state' | 'owner'>, errorClass?: ErrorClass): Promise<void> {
    const committed = await commitDurably(this.deps.db, { ...transition, state: this.state, owner: this.deps.owner }, this.log, {
      maxWaitMs: this.deps.tuning.leaseMs,
      signal: this.stop,
    });
    this.cancelRequested = this.cancelRequested || committed.cancelRequested;
    this.logTransition(committed.event, transition.step, errorClass);
    this.deps.onEvent?.(committed.event, transition.step);
  }

  /** One structured line per committed transition: what on-call greps for first. */
  private logTransition(event: EventRecord, step: StepState | undefined, errorClass: ErrorClass | undefined): void {
    const ended = event.type === EventType.STEP_COMPLETED || event.type === EventType.STEP_FAILED;
    const fields = {
      event: event.type,
      seq: event.seq,
      runStatus: this.state.status,
      ...(step && {
        step: step.key,
        // A retry line is about the attempt that failed; attempts already counts the next one.
        attempt: event.type === EventType.STEP_RETRYING ? step.attempts - 1 : step.attempts,
        ...(ended && { durationMs: step.durationMs }),
        ...(step.errorCode && { errorCode: step.errorCode }),
      }),
      ...(errorClass && { errorClass }),
      ...(!step && this.state.completedAt && { durationMs: Date.parse(this.state.completedAt) - Date.parse(this.state.startedAt) }),
    };
    const troubled = event.type === EventType.STEP_FAILED || event.type === EventType.STEP_RETRYING || event.type === EventType.RUN_FAILED;
    this.log[troubled ? 'warn' : 'info'](fields, event.message);
  }
}

function errorClassOf(thrown: unknown): ErrorClass {
  if (!isEngineError(thrown)) return 'internal';
  return thrown.retryable ? 'transient' : 'permanent';
}

function now(): string {
  return new Date().toISOString();
}

function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

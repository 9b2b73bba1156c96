import type { EntityManager } from '@mikro-orm/postgresql';
import { context, trace } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { requestIdOf } from '../../lib/request-origin.js';
import type pg from 'pg';
import { alone, inOwnTransaction, within, type StatementRunner } from '../db/statement.js';
import { EventType } from '../model.js';
import type { StepView } from '../run-view.js';
import { StartRefusedError, type CommittedTransition, type Transition } from './transition.js';
import { writePrepared, writeTransition, type EventDelivery, type PreparedTransition } from './write-transition.js';

/** Told of every committed transition, whoever wrote it (metrics, tracing). */
export type TransitionObserver = (committed: CommittedTransition) => void;

/** What became of each transition of an executor's batch: committed, or a step start left out. */
export type BatchOutcome = CommittedTransition | StartRefusedError;

/** Records inside a command's transaction; returns what it wrote. */
export type RecordTransition = (transition: Transition) => Promise<CommittedTransition>;

const TROUBLE: ReadonlySet<EventType> = new Set([EventType.STEP_FAILED, EventType.STEP_RETRYING, EventType.RUN_FAILED]);
const STEP_ENDS: ReadonlySet<EventType> = new Set([EventType.STEP_COMPLETED, EventType.STEP_FAILED]);

/**
 * The one way a run changes state: commands and executors alike write through here, so every
 * transition has the same statement, event shape, clock, NOTIFY, log line and metrics, and is
 * observed only once it is committed.
 */
export class TransitionWriter {
  private readonly pool: Promise<pg.Pool>;

  constructor(
    em: EntityManager,
    private readonly log: Logger,
    private readonly observe: TransitionObserver = () => undefined,
    /** `outbox` with an external event bus: the relay publishes, observing commits through `observe`. */
    private readonly delivery: EventDelivery = 'notify',
  ) {
    this.pool = em.getConnection().getNativeClient();
  }

  /**
   * The executor's path: transitions taken down as they happened (`prepareTransition`), written
   * in that order in one transaction of their own: a step's completion and the start of the
   * next commit together. A step start the database refuses (its run was asked to cancel) is
   * left out, `StartRefusedError` in its place, and the transaction written again without it.
   */
  async commitPrepared(prepared: readonly PreparedTransition[]): Promise<BatchOutcome[]> {
    const pool = await this.pool;
    const refused = new Map<number, StartRefusedError>();
    for (;;) {
      let writing = 0;
      const writeAll = async (run: StatementRunner) => {
        const outcomes: BatchOutcome[] = [];
        for (const [index, transition] of prepared.entries()) {
          writing = index;
          outcomes.push(refused.get(index) ?? (await writePrepared(run, transition, this.delivery)));
        }
        return outcomes;
      };
      try {
        // A transition is one statement, atomic alone; several need a transaction around them.
        const outcomes = prepared.length === 1 ? await writeAll(alone(pool)) : await inOwnTransaction(pool, writeAll);
        for (const outcome of outcomes) if (!(outcome instanceof StartRefusedError)) this.published(outcome);
        return outcomes;
      } catch (error) {
        if (!(error instanceof StartRefusedError)) throw error;
        refused.set(writing, error);
      }
    }
  }

  /**
   * A command's path: `work` reads and locks what it needs with `tx`, then records one or more
   * transitions with `record`; they are observed once the transaction has committed.
   */
  async transaction<T>(em: EntityManager, work: (tx: EntityManager, record: RecordTransition) => Promise<T>): Promise<T> {
    const written: CommittedTransition[] = [];
    const result = await em.fork().transactional((tx) =>
      work(tx, async (transition) => {
        const committed = await writeTransition(within(tx), transition, this.delivery);
        written.push(committed);
        return committed;
      }),
    );
    for (const committed of written) this.published(committed);
    return result;
  }

  private published(committed: CommittedTransition): void {
    this.logLine(committed);
    this.observe(committed);
  }

  /** One structured line per committed transition: what on-call greps for first. */
  private logLine(committed: CommittedTransition): void {
    const { transition, event } = committed;
    const run = event.provisioning!;
    const step = subjectStep(committed);
    const span = trace.getActiveSpan()?.spanContext();
    const requestId = requestIdOf(context.active());
    const fields = {
      tenantId: event.tenantId,
      runId: event.runId,
      ...(requestId && { requestId }),
      ...(span && span.traceId !== '00000000000000000000000000000000' && { traceId: span.traceId }),
      event: event.type,
      seq: event.seq,
      runStatus: run.status,
      ...(step && {
        step: step.key,
        // A retry line is about the attempt that failed; attempts already counts the next one.
        attempt: event.type === EventType.STEP_RETRYING ? step.attempts - 1 : step.attempts,
        ...(STEP_ENDS.has(event.type) && { durationMs: step.durationMs }),
        ...(step.errorCode && { errorCode: step.errorCode }),
      }),
      ...(transition.errorClass && { errorClass: transition.errorClass }),
      ...(!step && run.completedAt && { durationMs: Date.parse(run.completedAt) - Date.parse(run.startedAt) }),
    };
    this.log[TROUBLE.has(event.type) ? 'warn' : 'info'](fields, event.message);
  }
}

/** The step an event is about, as it was right after the transition (the state may have moved on since). */
export function subjectStep({ event }: CommittedTransition): StepView | undefined {
  return event.step ? event.provisioning?.steps.find((step) => step.key === event.step) : undefined;
}

import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { EngineCall } from '../../engine/erpnext/index.js';
import { EventType } from '../../provisioning/model.js';
import type { CommittedTransition } from '../../provisioning/transitions/transition.js';
import { subjectStep } from '../../provisioning/transitions/transition-writer.js';
import type { AttemptResult } from '../../webhooks/delivery-worker.js';

/** Seconds; steps and engine calls range from milliseconds (lookups) to minutes (company insert). */
const SLOW_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
const ATTEMPT_BUCKETS = [1, 2, 3, 4, 5, 8, 13, 21];
/** Seconds; an event's way from its commit to a socket is milliseconds, its target 20 ms at p99. */
const DELIVERY_BUCKETS_SECONDS = [0.001, 0.002, 0.005, 0.01, 0.015, 0.02, 0.03, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
/** Operation names come from clients: past this many distinct ones, the rest count as "other". */
const MAX_OPERATION_LABELS = 200;
/** Longer names count as "other" too: 200 labels of this length keep a scrape under ~1 MB. */
export const MAX_OPERATION_LABEL_LENGTH = 64;

const STEP_OUTCOMES: Partial<Record<EventType, string>> = {
  [EventType.STEP_COMPLETED]: 'completed',
  [EventType.STEP_FAILED]: 'failed',
  [EventType.STEP_SKIPPED]: 'skipped',
};

const RUN_OUTCOMES: Partial<Record<EventType, string>> = {
  [EventType.RUN_COMPLETED]: 'COMPLETED',
  [EventType.RUN_PARTIAL]: 'PARTIAL',
  [EventType.RUN_FAILED]: 'FAILED',
  [EventType.RUN_CANCELLED]: 'CANCELLED',
};

/** What the gauges read at scrape time, from parts built after the metrics. */
export interface GaugeSources {
  activeRuns: () => number;
  openSubscriptions: () => number;
  /** Runs in the database by status (every replica). */
  runsByStatus: () => Promise<Array<{ status: string; runs: number }>>;
  /** Active runs whose unexpired lease this process holds. */
  leasesHeld: () => Promise<number>;
  pool: () => Promise<{ total: number; idle: number; waiting: number; max: number }>;
}

/**
 * Every metric of one service instance, in a registry of its own (not prom-client's global
 * one: tests run several services in one process). Names and labels are listed in the README.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  private readonly operationNames = new Set<string>();
  private sources: GaugeSources | null = null;

  private readonly runsFinished = new Counter({
    name: 'provisioning_runs_finished_total',
    help: 'Runs this process brought to an end, by final status',
    labelNames: ['status'],
    registers: [this.registry],
  });
  private readonly runsResumed = new Counter({
    name: 'provisioning_runs_resumed_total',
    help: 'Runs this process resumed after their lease expired',
    registers: [this.registry],
  });
  private readonly stepDuration = new Histogram({
    name: 'provisioning_step_duration_seconds',
    help: 'Time from a step start to its end, by step and outcome (skipped steps take 0)',
    labelNames: ['step', 'outcome'],
    buckets: SLOW_BUCKETS_SECONDS,
    registers: [this.registry],
  });
  private readonly stepAttempts = new Histogram({
    name: 'provisioning_step_attempts',
    help: 'Attempts a step took, by step and outcome',
    labelNames: ['step', 'outcome'],
    buckets: ATTEMPT_BUCKETS,
    registers: [this.registry],
  });
  private readonly stepRetries = new Counter({
    name: 'provisioning_step_retries_total',
    help: 'Step attempts retried after a transient engine error, by step and error code',
    labelNames: ['step', 'error_code'],
    registers: [this.registry],
  });
  private readonly eventsDelivered = new Counter({
    name: 'graphql_subscription_events_delivered_total',
    help: 'Events sent to subscribers, by subscription field',
    labelNames: ['subscription'],
    registers: [this.registry],
  });
  private readonly eventDeliveryDelay = new Histogram({
    name: 'graphql_subscription_event_delay_seconds',
    help: 'Live events, from the commit that wrote them to their write on a subscriber\'s socket, by subscription field',
    labelNames: ['subscription'],
    buckets: DELIVERY_BUCKETS_SECONDS,
    registers: [this.registry],
  });
  private readonly operationDuration = new Histogram({
    name: 'graphql_operation_duration_seconds',
    help: 'GraphQL operations over HTTP, from request start to response, by operation name, type and outcome',
    labelNames: ['operation', 'type', 'outcome'],
    buckets: SLOW_BUCKETS_SECONDS,
    registers: [this.registry],
  });
  private readonly engineCallDuration = new Histogram({
    name: 'engine_call_duration_seconds',
    help: 'HTTP calls to the ERP engine, by method, doctype and HTTP status ("none" when it did not answer)',
    labelNames: ['method', 'doctype', 'status'],
    buckets: SLOW_BUCKETS_SECONDS,
    registers: [this.registry],
  });
  private readonly webhookAttempts = new Counter({
    name: 'webhook_delivery_attempts_total',
    help: 'Webhook attempts this process made, by result (delivered, retrying, failed: no attempt to come, released: cut short by a shutdown)',
    labelNames: ['result'],
    registers: [this.registry],
  });
  private readonly engineCallErrors = new Counter({
    name: 'engine_call_errors_total',
    help: 'Failed calls to the ERP engine, by doctype, HTTP status and engine error code',
    labelNames: ['doctype', 'status', 'code'],
    registers: [this.registry],
  });

  constructor() {
    // Process metrics, including nodejs_eventloop_lag_* (event-loop delay).
    collectDefaultMetrics({ register: this.registry });
    const sources = () => this.sources;
    new Gauge({
      name: 'provisioning_active_runs',
      help: 'Runs executing in this process now',
      registers: [this.registry],
      collect() {
        const bound = sources();
        if (bound) this.set(bound.activeRuns());
      },
    });
    new Gauge({
      name: 'graphql_subscriptions_open',
      help: 'Subscriptions listening for provisioning events in this process',
      registers: [this.registry],
      collect() {
        const bound = sources();
        if (bound) this.set(bound.openSubscriptions());
      },
    });
    // Each gauge collects for itself: prom-client reads the gauges concurrently at a scrape.
    new Gauge({
      name: 'provisioning_leases_held',
      help: 'Active runs whose unexpired lease this process holds; absent while the database does not answer',
      registers: [this.registry],
      async collect() {
        this.reset();
        const held = await sources()?.leasesHeld().catch(() => null);
        if (typeof held === 'number') this.set(held);
      },
    });
    new Gauge({
      name: 'provisioning_runs',
      help: 'Runs in the database by status (every replica); absent while the database does not answer',
      labelNames: ['status'],
      registers: [this.registry],
      async collect() {
        this.reset();
        const counts = await sources()?.runsByStatus().catch(() => null);
        for (const { status, runs } of counts ?? []) this.set({ status }, runs);
      },
    });
    new Gauge({
      name: 'db_pool_max_connections',
      help: 'Size limit of the database connection pool',
      registers: [this.registry],
      async collect() {
        const pool = await sources()?.pool().catch(() => null);
        if (pool) this.set(pool.max);
      },
    });
    new Gauge({
      name: 'db_pool_connections',
      help: 'Database pool connections by state: in_use, idle, waiting (requests queued for one)',
      labelNames: ['state'],
      registers: [this.registry],
      async collect() {
        const pool = await sources()?.pool().catch(() => null);
        if (!pool) return;
        this.set({ state: 'in_use' }, pool.total - pool.idle);
        this.set({ state: 'idle' }, pool.idle);
        this.set({ state: 'waiting' }, pool.waiting);
      },
    });
  }

  /** Gauges read these at each scrape. */
  watch(sources: GaugeSources): void {
    this.sources = sources;
  }

  /** The orchestrator's `onEvent`: one call per committed transition of a run. */
  /** Every committed transition, whoever wrote it (executor or command). */
  recordTransition(committed: CommittedTransition): void {
    const { event } = committed;
    const step = subjectStep(committed);
    const runOutcome = RUN_OUTCOMES[event.type];
    if (runOutcome) this.runsFinished.inc({ status: runOutcome });
    if (event.type === EventType.RUN_RESUMED) this.runsResumed.inc();
    if (!step) return;
    if (event.type === EventType.STEP_RETRYING) this.stepRetries.inc({ step: step.key, error_code: step.errorCode ?? 'unknown' });
    const stepOutcome = STEP_OUTCOMES[event.type];
    if (stepOutcome) {
      const labels = { step: step.key, outcome: stepOutcome };
      this.stepDuration.observe(labels, (step.durationMs ?? 0) / 1000);
      this.stepAttempts.observe(labels, step.attempts);
    }
  }

  /** The ERPNext client's `onCall`. */
  recordEngineCall(call: EngineCall): void {
    const doctype = call.doctype ?? 'none';
    const status = call.status === undefined ? 'none' : String(call.status);
    this.engineCallDuration.observe({ method: call.method, doctype, status }, call.durationMs / 1000);
    if (call.error) this.engineCallErrors.inc({ doctype, status, code: call.error.code });
  }

  recordOperation(operation: { name: string; type: string; ok: boolean; durationMs: number }): void {
    this.operationDuration.observe(
      { operation: this.operationLabel(operation.name), type: operation.type, outcome: operation.ok ? 'ok' : 'error' },
      operation.durationMs / 1000,
    );
  }

  /** `committedAt`: when a live event was written (epoch ms); replays and snapshots have none. */
  recordEventDelivered(subscription: string, committedAt?: number): void {
    this.eventsDelivered.inc({ subscription });
    if (committedAt !== undefined) this.eventDeliveryDelay.observe({ subscription }, Math.max(0, Date.now() - committedAt) / 1000);
  }

  recordWebhookAttempt(result: AttemptResult): void {
    this.webhookAttempts.inc({ result });
  }

  private operationLabel(name: string): string {
    if (name.length > MAX_OPERATION_LABEL_LENGTH) return 'other';
    if (this.operationNames.has(name)) return name;
    if (this.operationNames.size >= MAX_OPERATION_LABELS) return 'other';
    this.operationNames.add(name);
    return name;
  }
}

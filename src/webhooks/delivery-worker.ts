import type { EntityManager } from '@mikro-orm/postgresql';
import PQueue from 'p-queue';
import type { Logger } from 'pino';
import { toError } from '../lib/errors.js';
import { attempt, type AttemptOutcome, type ClaimedDelivery } from './delivery/attempt.js';
import { claimDue, notifyWorkers, recordOutcome, release, type EndpointRule, type Outcome } from './delivery/claims.js';
import { describeDuration, FAILING_WINDOW_MS, retryDelay } from './delivery/retry-schedule.js';
import { WakeListener } from './delivery/wake-listener.js';
import { WebhookDeliveryStatus } from './model.js';
import type { SecretBox } from './secrets.js';
import type { WebhookSettings } from './settings.js';

/** What came of an attempt, for metrics: `delivered`, `retrying`, `failed` (no more attempts), `released` (stopping). */
export type AttemptResult = 'delivered' | 'retrying' | 'failed' | 'released';

export interface DeliveryWorkerOptions {
  em: EntityManager;
  /** For the LISTEN connection of its own. */
  databaseUrl: string;
  log: Logger;
  settings: WebhookSettings;
  secrets: SecretBox;
  onAttempt?: (result: AttemptResult) => void;
}

/**
 * Sends due deliveries, on every replica at once: it claims at most as many as it has free
 * sending slots (WEBHOOK_CONCURRENCY), sends each outside any transaction, and writes the
 * outcome. It looks when woken (a delivery was written anywhere, a slot freed up while more
 * were due, a retry fell due) and every poll interval, which also finds the claims of a
 * replica that died.
 */
export class DeliveryWorker {
  private readonly queue: PQueue;
  private readonly stopping = new AbortController();
  private readonly listener: WakeListener;
  private readonly rule: EndpointRule;
  private pumping: Promise<void> | null = null;
  private pumpAgain = false;
  /** The last claim filled every slot: more may be due, so a finished send looks again. */
  private backlog = false;
  private poll: NodeJS.Timeout | undefined;
  private nextRetry: { at: number; timer: NodeJS.Timeout } | null = null;
  private released = 0;

  constructor(private readonly options: DeliveryWorkerOptions) {
    this.queue = new PQueue({ concurrency: options.settings.concurrency });
    this.listener = new WakeListener({ url: options.databaseUrl, log: options.log, onWake: () => this.wake() });
    const window = FAILING_WINDOW_MS * options.settings.timeScale;
    this.rule = {
      failingWindowMs: Math.round(window),
      disabledReason: `Disabled: every delivery attempt failed for more than ${describeDuration(window)} in a row (since %s). The last: %s. Fix the receiver, then enable the endpoint again.`,
    };
  }

  async start(): Promise<void> {
    await this.listener.start();
    this.poll = setInterval(() => this.wake(), this.options.settings.pollIntervalMs);
    this.wake();
  }

  /**
   * Stops claiming, cuts the attempts in flight short and hands them back (due at once, for
   * another replica: the receiver may get one twice, with the same webhook-id), then waits for
   * that to be written.
   */
  async stop(): Promise<void> {
    clearInterval(this.poll);
    clearTimeout(this.nextRetry?.timer);
    this.stopping.abort();
    await this.listener.stop();
    await this.pumping;
    await this.queue.onIdle();
    if (this.released > 0) await notifyWorkers(this.options.em).catch(() => undefined);
  }

  /** Looks for due deliveries now (one look at a time; a wake during one makes another). */
  wake(): void {
    if (this.stopping.signal.aborted) return;
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = this.pump().finally(() => {
      this.pumping = null;
      if (this.pumpAgain) {
        this.pumpAgain = false;
        this.wake();
      }
    });
  }

  private async pump(): Promise<void> {
    const free = this.options.settings.concurrency - this.queue.pending - this.queue.size;
    if (free <= 0) {
      this.backlog = true;
      return;
    }
    let claimed: ClaimedDelivery[];
    try {
      claimed = await claimDue(this.options.em, this.options.settings.leaseMs, free);
    } catch (error) {
      this.options.log.warn({ err: toError(error) }, 'could not claim webhook deliveries; trying again at the next poll');
      return;
    }
    this.backlog = claimed.length === free;
    for (const delivery of claimed) {
      this.queue.add(() => this.send(delivery)).catch((error: unknown) => this.options.log.error({ err: toError(error), deliveryId: delivery.id }, 'webhook send failed unexpectedly'));
    }
  }

  private async send(delivery: ClaimedDelivery): Promise<void> {
    const outcome = await attempt(delivery, { secrets: this.options.secrets, policy: this.options.settings, stopping: this.stopping.signal });
    try {
      if (outcome.kind === 'released') {
        await release(this.options.em, delivery);
        this.released += 1;
        this.options.onAttempt?.('released');
      } else {
        await this.record(delivery, outcome);
      }
    } catch (error) {
      // The claim runs out and the delivery is sent again: at least once.
      this.options.log.warn({ err: toError(error), deliveryId: delivery.id }, 'could not record a webhook attempt; it is sent again when its claim runs out');
    }
    if (this.backlog) this.wake();
  }

  private async record(delivery: ClaimedDelivery, outcome: Exclude<AttemptOutcome, { kind: 'released' }>): Promise<void> {
    const next = toOutcome(delivery, outcome, this.options.settings.timeScale);
    const { written, disabled } = await recordOutcome(this.options.em, delivery, next, this.rule);
    const fields = { deliveryId: delivery.id, endpointId: delivery.endpointId, attempt: delivery.attempts, statusCode: next.statusCode };
    if (!written) return this.options.log.info(fields, 'webhook attempt finished after its claim ran out; the newer attempt decides');
    const result = next.status === WebhookDeliveryStatus.DELIVERED ? 'delivered' : next.status === WebhookDeliveryStatus.FAILED ? 'failed' : 'retrying';
    this.options.onAttempt?.(result);
    if (result !== 'delivered') {
      this.options.log[result === 'failed' ? 'warn' : 'info']({ ...fields, error: next.error, nextAttemptInMs: next.nextAttemptInMs }, `webhook delivery ${result}`);
    }
    if (disabled) this.options.log.warn({ endpointId: delivery.endpointId }, 'webhook endpoint disabled: its deliveries kept failing');
    if (next.nextAttemptInMs !== null) this.wakeIn(next.nextAttemptInMs);
  }

  /** One timer, for the soonest retry this process scheduled (others are found by the poll). */
  private wakeIn(ms: number): void {
    const at = Date.now() + ms;
    if (this.stopping.signal.aborted || (this.nextRetry && this.nextRetry.at <= at)) return;
    clearTimeout(this.nextRetry?.timer);
    this.nextRetry = {
      at,
      timer: setTimeout(() => {
        this.nextRetry = null;
        this.wake();
      }, ms),
    };
  }
}

function toOutcome(delivery: ClaimedDelivery, outcome: Exclude<AttemptOutcome, { kind: 'released' }>, timeScale: number): Outcome {
  if (outcome.kind === 'delivered') return { status: WebhookDeliveryStatus.DELIVERED, nextAttemptInMs: null, statusCode: outcome.statusCode, error: null };
  const delay = outcome.retry ? retryDelay(delivery.attempts, timeScale, outcome.retryAfterMs) : null;
  const exhausted = outcome.retry && delay === null;
  return {
    status: delay === null ? WebhookDeliveryStatus.FAILED : WebhookDeliveryStatus.RETRYING,
    nextAttemptInMs: delay,
    statusCode: outcome.statusCode,
    error: exhausted ? `${outcome.error} (no attempt left: ${delivery.attempts} made)` : outcome.error,
  };
}

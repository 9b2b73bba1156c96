import pg from 'pg';
import type { Logger } from 'pino';
import { toError } from '../../lib/errors.js';
import { retry } from '../../lib/retry.js';
import { SECOND } from '../../lib/time.js';
import { DELIVERIES_CHANNEL } from '../model.js';

/** Shown in pg_stat_activity; not the event hub's name, which operators (and a test) look for. */
const WAKE_APPLICATION_NAME = 'webhook-delivery-worker';
/** A server that stopped answering would never acknowledge the goodbye: stop waiting for it then. */
const END_TIMEOUT_MS = SECOND;

/**
 * LISTENs for "deliveries were written" and calls `onWake`. Only a wake-up: the worker polls
 * too, so a connection that dies quietly delays deliveries by one poll interval at most, and
 * one that ends is made again (then `onWake`, for what was missed meanwhile).
 */
export class WakeListener {
  private client: pg.Client | null = null;
  private stopped = false;

  constructor(private readonly options: { url: string; log: Logger; onWake: () => void }) {}

  async start(): Promise<void> {
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const client = this.client;
    this.client = null;
    if (!client) return;
    const ended = client.end().catch(() => undefined);
    await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, END_TIMEOUT_MS).unref())]);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.options.url, application_name: WAKE_APPLICATION_NAME, keepAlive: true });
    client.on('notification', () => this.options.onWake());
    client.on('error', (error) => this.options.log.warn({ err: error }, 'webhook wake-up connection error'));
    client.on('end', () => this.onEnd(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${DELIVERIES_CHANNEL}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.stopped) return void (await client.end().catch(() => undefined));
    this.client = client;
  }

  private onEnd(client: pg.Client): void {
    if (this.client !== client || this.stopped) return;
    this.client = null;
    void retry(() => (this.stopped ? Promise.resolve() : this.connect()), {
      retries: Number.POSITIVE_INFINITY,
      minTimeout: 100,
      maxTimeout: 5 * SECOND,
      shouldRetry: () => !this.stopped,
      onFailedAttempt: ({ error }) => this.options.log.debug({ err: toError(error) }, 'webhook wake-up connection: reconnect failed; will try again'),
    }).then(
      () => this.options.onWake(),
      () => undefined,
    );
  }
}

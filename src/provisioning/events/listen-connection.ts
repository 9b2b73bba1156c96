import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import pg from 'pg';
import type { Logger } from 'pino';
import { toError } from '../../lib/errors.js';
import { retry } from '../../lib/retry.js';
import { SECOND } from '../../lib/time.js';

export interface ListenConnectionOptions {
  url: string;
  channels: readonly string[];
  log: Logger;
  onNotification: (channel: string, payload: string) => void;
  /** The connection came back after a loss: notifications may have been missed meanwhile. */
  onRestored: () => void;
  /** How often the connection proves it still delivers, by notifying itself. */
  probeIntervalMs?: number;
}

/** Shown in pg_stat_activity, so an operator (or a test) can find this connection. */
export const LISTEN_APPLICATION_NAME = 'provisioning-event-hub';

export const DEFAULT_PROBE_INTERVAL_MS = 10 * SECOND;
const RECONNECT_FIRST_DELAY_MS = 100;
const RECONNECT_MAX_DELAY_MS = 5 * SECOND;
/** TCP keepalive finds a peer that vanished (a lost node) on its own, without our probe. */
const KEEPALIVE_INITIAL_DELAY_MS = 10 * SECOND;

/**
 * A LISTEN connection that stays up: it reconnects when the connection ends, and it notifies
 * itself on a channel of its own every probe interval; a probe not heard back within half an
 * interval means a connection that looks open but delivers nothing (a half-open TCP connection,
 * a frozen server process), which is then dropped and made again.
 */
export class ListenConnection {
  private client: pg.Client | null = null;
  private stopped = false;
  private probeTimer: NodeJS.Timeout | undefined;
  private readonly probeChannel = `provisioning_probe_${randomBytes(6).toString('hex')}`;
  private awaitedProbe: { token: string; heard: () => void } | null = null;
  private readonly probeIntervalMs: number;

  constructor(private readonly options: ListenConnectionOptions) {
    this.probeIntervalMs = options.probeIntervalMs ?? DEFAULT_PROBE_INTERVAL_MS;
  }

  get connected(): boolean {
    return this.client !== null;
  }

  async start(): Promise<void> {
    await this.connect();
    this.probeTimer = setInterval(() => void this.probe(), this.probeIntervalMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.probeTimer);
    const client = this.client;
    this.client = null;
    if (client) destroy(client);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.options.url,
      application_name: LISTEN_APPLICATION_NAME,
      keepAlive: true,
      keepAliveInitialDelayMillis: KEEPALIVE_INITIAL_DELAY_MS,
    });
    client.on('notification', (message) => this.onNotification(message.channel, message.payload ?? ''));
    client.on('error', (error) => this.options.log.warn({ err: error }, 'LISTEN connection error'));
    client.on('end', () => this.onDisconnect(client));
    try {
      await client.connect();
      for (const channel of [...this.options.channels, this.probeChannel]) await client.query(`LISTEN ${channel}`);
    } catch (error) {
      destroy(client);
      throw error;
    }
    this.client = client;
  }

  private onNotification(channel: string, payload: string): void {
    if (channel !== this.probeChannel) return this.options.onNotification(channel, payload);
    if (this.awaitedProbe?.token === payload) this.awaitedProbe.heard();
  }

  private async probe(): Promise<void> {
    const client = this.client;
    if (!client || this.awaitedProbe) return;
    const token = randomBytes(6).toString('hex');
    const heard = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), this.probeIntervalMs / 2);
      this.awaitedProbe = { token, heard: () => (clearTimeout(timer), resolve(true)) };
    });
    // Not awaited: on a frozen connection the query itself never returns.
    client.query(`NOTIFY ${this.probeChannel}, '${token}'`).catch(() => undefined);
    const alive = await heard;
    this.awaitedProbe = null;
    if (alive || this.client !== client) return;
    this.options.log.warn('LISTEN connection does not deliver (probe not heard back); dropping it and connecting again');
    destroy(client);
  }

  private onDisconnect(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = null;
    if (this.stopped) return;
    this.options.log.warn('LISTEN connection lost; reconnecting');
    void this.reconnect();
  }

  /** Until it is back (or stopped): PostgreSQL may be restarting for a while. */
  private async reconnect(): Promise<void> {
    try {
      await retry(
        async () => {
          if (!this.stopped) await this.connect();
        },
        {
          retries: Number.POSITIVE_INFINITY,
          minTimeout: RECONNECT_FIRST_DELAY_MS,
          maxTimeout: RECONNECT_MAX_DELAY_MS,
          shouldRetry: () => !this.stopped,
          onFailedAttempt: ({ error }) => this.options.log.debug({ err: toError(error) }, 'LISTEN reconnect failed; will try again'),
        },
      );
    } catch {
      return; // stopped meanwhile
    }
    if (this.stopped) return;
    this.options.log.info('LISTEN connection restored');
    this.options.onRestored();
  }
}

/**
 * Ends the connection without a word to the server: `end()` would wait for an answer that a
 * frozen server never sends. pg has no public way to do this; its socket is `connection.stream`.
 */
function destroy(client: pg.Client): void {
  (client as unknown as { connection: { stream: Socket } }).connection.stream.destroy();
}

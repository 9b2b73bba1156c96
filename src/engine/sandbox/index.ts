/**
 * The ERPNext sandbox: an HTTP server that behaves like an
 * ERPNext site after its setup wizard, so the REST client can be tested against it and the service
 * can run without a real ERPNext.
 */
import { randomBytes } from 'node:crypto';
import { SandboxHttpServer } from './http.js';
import { Site } from './site.js';

export interface SandboxOptions {
  /** 0 or unset = a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Generated (random hex) when unset. */
  apiKey?: string;
  /** Generated when unset. */
  apiSecret?: string;
  /** Adds `exception`/`exc` to error bodies, never on 404. Default true. */
  allowErrorTraceback?: boolean;
  /** POS Opening Entry "one open per profile / per user" rules; false emulates older ERPNext. Default true. */
  openEntryRules?: boolean;
}

export interface RunningSandbox {
  url: string;
  apiKey: string;
  apiSecret: string;
  close(): Promise<void>;
}

export type { Faults } from './faults.js';

const DEFAULT_HOST = '127.0.0.1';

export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const host = options.host ?? DEFAULT_HOST;
  const apiKey = options.apiKey ?? randomBytes(8).toString('hex');
  const apiSecret = options.apiSecret ?? randomBytes(8).toString('hex');
  const site = new Site(
    { siteUrl: '', openEntryRules: options.openEntryRules ?? true, allowErrorTraceback: options.allowErrorTraceback ?? true },
    { apiKey, apiSecret },
  );
  const http = new SandboxHttpServer(site);
  const port = await http.listen(options.port ?? 0, host);
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  site.settings.siteUrl = url;
  return { url, apiKey, apiSecret, close: () => http.close() };
}

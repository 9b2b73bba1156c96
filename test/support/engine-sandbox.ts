import { afterAll, beforeAll, beforeEach } from '@jest/globals';
import { startSandbox, type RunningSandbox } from '../../src/engine/sandbox/index.js';
/**
 * Test access to the ERPNext sandbox's knobs: faults, reset and state, over HTTP
 * like any other client, so tests observe what the engine holds rather than what we sent.
 */
/** Fields are merged into the sandbox's current faults; `null` clears one. */
export type SandboxFaults = {
  [K in keyof FaultKnobs]?: FaultKnobs[K] | null;
};

interface RequestMatch {
  doctype?: string;
  method?: string;
}

interface FaultKnobs {
  latencyMs: number;
  errorRate: number;
  timeoutRate: number;
  offline: boolean;
  failNext: { doctype?: string; method?: string; status: number; count?: number; retryAfterSeconds?: number };
  hold: RequestMatch | RequestMatch[];
  dropAfterCommit: { doctype: string; method: string; count?: number };
  rateLimit: { requests: number; retryAfterSeconds?: number };
}

/** The client options that reach a running sandbox as its Administrator. */
export function credentialsOf(sandbox: { url: string; apiKey: string; apiSecret: string }): {
  url: string;
  apiKey: string;
  apiSecret: string;
} {
  return { url: sandbox.url, apiKey: sandbox.apiKey, apiSecret: sandbox.apiSecret };
}

export type SandboxDoc = Record<string, unknown> & { name: string };

/** A running sandbox as its knobs need it: the URL and the site's own API key pair. */
export interface SandboxAccess {
  url: string;
  apiKey: string;
  apiSecret: string;
}

/** The header the knobs (and the API) require: Frappe's `token key:secret`. */
export function sandboxAuthorization(access: SandboxAccess): Record<string, string> {
  return { authorization: `token ${access.apiKey}:${access.apiSecret}` };
}

export class SandboxControl {
  private readonly url: string;

  constructor(private readonly access: SandboxAccess) {
    this.url = access.url;
  }

  async setFaults(faults: SandboxFaults): Promise<void> {
    await this.post('/__sandbox/faults', faults);
  }

  async reset(): Promise<void> {
    await this.post('/__sandbox/reset', {});
  }

  async state(): Promise<Record<string, SandboxDoc[]>> {
    const response = await fetch(`${this.url}/__sandbox/state`, { headers: sandboxAuthorization(this.access) });
    if (!response.ok) throw new Error(`GET /__sandbox/state answered ${response.status}`);
    return (await response.json()) as Record<string, SandboxDoc[]>;
  }

  /** Documents of one doctype that match every given field. */
  async docs(doctype: string, match: Record<string, unknown> = {}): Promise<SandboxDoc[]> {
    const docs = (await this.state())[doctype] ?? [];
    return docs.filter((doc) => Object.entries(match).every(([field, value]) => doc[field] === value));
  }

  private async post(path: string, body: unknown): Promise<void> {
    const response = await fetch(`${this.url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...sandboxAuthorization(this.access) },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`POST ${path} answered ${response.status}: ${await response.text()}`);
  }
}

export interface SuiteSandbox {
  sandbox: RunningSandbox;
  control: SandboxControl;
}

/**
 * One in-process sandbox for a whole test file, reset to its seed (no documents, no faults)
 * before each test and closed after the last.
 */
export function sandboxForSuite(): SuiteSandbox {
  const suite = {} as SuiteSandbox;
  beforeAll(async () => {
    suite.sandbox = await startSandbox({ port: 0 });
    suite.control = new SandboxControl(suite.sandbox);
  });
  beforeEach(() => suite.control.reset());
  afterAll(() => suite.sandbox?.close());
  return suite;
}

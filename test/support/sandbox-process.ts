import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { SandboxControl } from './engine-sandbox.js';

export interface SandboxProcess {
  url: string;
  control: SandboxControl;
  /** ERPNEXT_* for a service that must use this sandbox instead of its built-in one. */
  serviceEnv: Record<string, string>;
  output: () => string;
  stop(): Promise<void>;
}

const MAIN = path.resolve('dist/src/engine/sandbox/main.js');
const START_TIMEOUT_MS = 20_000;

/**
 * The built ERPNext sandbox as a process of its own, as `npm run sandbox` runs it: its
 * documents outlive any service process we kill, so duplicates across a crash are visible.
 */
export async function spawnSandbox(): Promise<SandboxProcess> {
  const apiKey = randomBytes(8).toString('hex');
  const apiSecret = randomBytes(12).toString('hex');
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ERPNEXT_API_KEY: apiKey, ERPNEXT_API_SECRET: apiSecret },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = once(child, 'exit');
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sandbox did not start:\n${output}`)), START_TIMEOUT_MS);
    const onData = () => {
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      resolve(match[1]!);
    };
    child.stdout.on('data', onData);
    void exited.then(() => reject(new Error(`sandbox exited before starting:\n${output}`)));
  });
  return {
    url,
    control: new SandboxControl({ url, apiKey, apiSecret }),
    serviceEnv: { ERPNEXT_URL: url, ERPNEXT_API_KEY: apiKey, ERPNEXT_API_SECRET: apiSecret },
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}

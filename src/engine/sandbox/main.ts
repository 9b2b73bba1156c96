/**
 * `npm run sandbox`: the sandbox alone on PORT (default 8000), with the credentials in
 * ERPNEXT_API_KEY / ERPNEXT_API_SECRET, generated and printed when unset.
 */
import { startSandbox } from './index.js';

const DEFAULT_PORT = 8000;

const sandbox = await startSandbox({
  port: process.env.PORT ? Number(process.env.PORT) : DEFAULT_PORT,
  host: process.env.HOST,
  apiKey: process.env.ERPNEXT_API_KEY || undefined,
  apiSecret: process.env.ERPNEXT_API_SECRET || undefined,
});

console.log(`ERPNext sandbox listening on ${sandbox.url}`);
if (!process.env.ERPNEXT_API_KEY || !process.env.ERPNEXT_API_SECRET) {
  console.log(`ERPNEXT_URL=${sandbox.url}`);
  console.log(`ERPNEXT_API_KEY=${sandbox.apiKey}`);
  console.log(`ERPNEXT_API_SECRET=${sandbox.apiSecret}`);
}

let stopping = false;
const stop = (signal: NodeJS.Signals): void => {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: stopping the sandbox`);
  void sandbox.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

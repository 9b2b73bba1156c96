import { pino, type Logger } from 'pino';

export type { Logger };

/** Keys whose values never reach a log line, wherever they appear. */
const REDACTED_PATHS = [
  'password',
  'adminPassword',
  'passwordHash',
  'token',
  'authorization',
  'apiSecret',
  'apiKey',
  'jwtSecret',
  '*.password',
  '*.adminPassword',
  '*.passwordHash',
  '*.token',
  '*.authorization',
  '*.apiSecret',
  '*.apiKey',
  '*.jwtSecret',
  'req.headers.authorization',
  'variables.password',
  'variables.input.adminPassword',
];

/** JSON lines for machines; pretty output when a person watches a terminal. */
export function createLogger(options: { level?: string; pretty?: boolean; destination?: NodeJS.WritableStream } = {}): Logger {
  const { level = 'info', pretty = process.stdout.isTTY === true, destination } = options;
  const base = { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  if (destination) return pino(base, destination as pino.DestinationStream);
  if (pretty) return pino({ ...base, transport: { target: 'pino-pretty', options: { colorize: true } } });
  return pino(base);
}

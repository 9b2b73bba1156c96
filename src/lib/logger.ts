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
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  'secret',
  '*.secret',
  'databaseUrl',
  '*.databaseUrl',
  'connectionString',
  '*.connectionString',
  'variables.password',
  'variables.input.adminPassword',
];

/**
 * Redaction works on keys; an error's message or stack is free text and can quote a value
 * (a database error quotes the row it could not write, hash included). These patterns are
 * masked wherever an error is logged.
 */
const SECRET_PATTERNS: Array<[RegExp, string]> = [
  [/scrypt\$[^\s'",)]+/g, 'scrypt$[redacted]'],
  [/eyJ[\w-]+\.[\w-]+\.[\w-]*/g, '[redacted token]'],
  [/\bBearer\s+[\w.~+/=-]{8,}/gi, 'Bearer [redacted]'],
  // Frappe's "token <api key>:<api secret>".
  [/\btoken\s+[\w-]+:[\w-]+/gi, 'token [redacted]'],
];

export function scrubSecrets(text: string): string {
  return SECRET_PATTERNS.reduce((scrubbed, [pattern, replacement]) => scrubbed.replace(pattern, replacement), text);
}

/** pino's error serializer, then every text field of the result (message, stack, detail, sql...) scrubbed. */
function serializeError(error: Error): unknown {
  const serialized: unknown = pino.stdSerializers.err(error);
  if (!serialized || typeof serialized !== 'object') return serialized;
  const fields = serialized as Record<string, unknown>;
  for (const [key, value] of Object.entries(fields)) if (typeof value === 'string') fields[key] = scrubSecrets(value);
  return fields;
}

/** JSON lines for machines; pretty output when a person watches a terminal. */
export function createLogger(options: { level?: string; pretty?: boolean; destination?: NodeJS.WritableStream } = {}): Logger {
  const { level = 'info', pretty = process.stdout.isTTY === true, destination } = options;
  const base = { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, serializers: { err: serializeError } };
  if (destination) return pino(base, destination as pino.DestinationStream);
  if (pretty) return pino({ ...base, transport: { target: 'pino-pretty', options: { colorize: true } } });
  return pino(base);
}

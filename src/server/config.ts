import { SECOND } from '../lib/time.js';
import { DEFAULT_BUFFER_EVENTS, MAX_BUFFER_EVENTS } from '../provisioning/events/live-stream.js';
import { DEFAULT_PROBE_INTERVAL_MS } from '../provisioning/events/listen-connection.js';
import { DEFAULT_TUNING, type ProvisioningTuning } from '../provisioning/tuning.js';
import { DEFAULT_LOGIN_LIMITS, type LoginRateLimits } from '../tenants/auth/login-rate-limiter.js';
import { DEFAULT_WEBHOOK_SETTINGS, type WebhookSettings } from '../webhooks/settings.js';
import { trustFunction, type TrustProxy } from './client-address.js';
import { DEFAULT_SOCKET_LIMITS, type SocketLimits } from './ws/socket-caps.js';

/**
 * Everything the service reads from its environment, validated once at start so a bad value
 * stops the process with a message that names the variable, instead of failing later.
 */
export interface Config {
  nodeEnv: string;
  port: number;
  host: string;
  /** Unset: the embedded PostgreSQL under `dataDir` is started. */
  databaseUrl?: string;
  dataDir: string;
  /** Unset: the built-in ERPNext sandbox is started in-process. */
  erpnext?: { url: string; apiKey: string; apiSecret: string };
  /** Unset outside production: generated once and kept in `dataDir`. */
  jwtSecret?: string;
  jwtTtlMs: number;
  adminEmail?: string;
  adminPassword?: string;
  logLevel: string;
  /** How long an engine health result is reused (startProvisioning, engineHealth, /readyz). */
  engineHealthTtlMs: number;
  /** How long an "offline" result is reused before the engine is checked again. */
  engineOfflineRecheckMs: number;
  /** GraphiQL at /graphiql and schema introspection; off by default in production. */
  graphiql: boolean;
  introspection: boolean;
  /** How often the LISTEN connection proves it still delivers notifications. */
  listenProbeIntervalMs: number;
  /** Unset: events travel by PostgreSQL NOTIFY; a redis:// URL: through an outbox and Redis. */
  eventBusUrl?: string;
  /** Events a subscriber may leave unread before it is ended with SUBSCRIBER_TOO_SLOW. */
  subscriptionBufferEvents: number;
  /** Sign-in attempts allowed per email and per client address in each window. */
  loginLimits: LoginRateLimits;
  /** Whose X-Forwarded-For decides the client address; off unless TRUST_PROXY says. */
  trustProxy: TrustProxy;
  /** Sockets per client address, sockets awaiting connection_init, operations per socket. */
  socketLimits: SocketLimits;
  /** Bearer token GET /metrics requires; in production /metrics is not served without one. */
  metricsToken?: string;
  provisioning: ProvisioningTuning;
  webhooks: WebhookSettings;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env): Config {
  const nodeEnv = env.NODE_ENV ?? 'development';
  const production = nodeEnv === 'production';
  const jwtSecret = optional(env.JWT_SECRET);
  if (production && !jwtSecret) {
    throw new ConfigError('JWT_SECRET is required when NODE_ENV=production: set it to a random string of at least 32 characters.');
  }
  if (jwtSecret && jwtSecret.length < 32) {
    throw new ConfigError('JWT_SECRET is too short: use at least 32 characters.');
  }
  const erpnext = erpnextConfig(env);
  if (production && !erpnext) {
    // The built-in sandbox keeps everything in memory: production tenants would be provisioned into nothing.
    throw new ConfigError('ERPNEXT_URL is required when NODE_ENV=production (with ERPNEXT_API_KEY and ERPNEXT_API_SECRET): the built-in sandbox is for development only.');
  }
  return {
    nodeEnv,
    port: integer(env, 'PORT', 4000, { min: 0, max: 65535 }),
    host: env.HOST ?? '0.0.0.0',
    databaseUrl: optional(env.DATABASE_URL),
    dataDir: env.DATA_DIR ?? '.data',
    erpnext,
    jwtSecret,
    jwtTtlMs: integer(env, 'JWT_TTL_SECONDS', 12 * 60 * 60, { min: 1 }) * SECOND,
    adminEmail: optional(env.ADMIN_EMAIL),
    adminPassword: optional(env.ADMIN_PASSWORD),
    logLevel: env.LOG_LEVEL ?? 'info',
    engineHealthTtlMs: integer(env, 'ENGINE_HEALTH_TTL_MS', 30 * SECOND, { min: 0 }),
    engineOfflineRecheckMs: integer(env, 'ENGINE_OFFLINE_RECHECK_MS', 5 * SECOND, { min: 0 }),
    listenProbeIntervalMs: integer(env, 'LISTEN_PROBE_INTERVAL_MS', DEFAULT_PROBE_INTERVAL_MS, { min: 10 }),
    eventBusUrl: eventBusUrl(env),
    subscriptionBufferEvents: integer(env, 'SUBSCRIPTION_BUFFER_EVENTS', DEFAULT_BUFFER_EVENTS, { min: 1, max: MAX_BUFFER_EVENTS }),
    graphiql: boolean(env, 'GRAPHIQL', !production),
    introspection: boolean(env, 'INTROSPECTION', !production),
    loginLimits: {
      windowMs: integer(env, 'LOGIN_WINDOW_SECONDS', DEFAULT_LOGIN_LIMITS.windowMs / SECOND, { min: 1 }) * SECOND,
      perEmail: integer(env, 'LOGIN_MAX_PER_EMAIL', DEFAULT_LOGIN_LIMITS.perEmail, { min: 1 }),
      perClient: integer(env, 'LOGIN_MAX_PER_CLIENT', DEFAULT_LOGIN_LIMITS.perClient, { min: 1 }),
    },
    trustProxy: trustProxy(env),
    socketLimits: {
      perClient: integer(env, 'WS_MAX_SOCKETS_PER_CLIENT', DEFAULT_SOCKET_LIMITS.perClient, { min: 1 }),
      pending: integer(env, 'WS_MAX_PENDING_SOCKETS', DEFAULT_SOCKET_LIMITS.pending, { min: 1 }),
      operationsPerSocket: integer(env, 'WS_MAX_OPERATIONS_PER_SOCKET', DEFAULT_SOCKET_LIMITS.operationsPerSocket, { min: 1 }),
    },
    metricsToken: optional(env.METRICS_TOKEN),
    provisioning: {
      leaseMs: integer(env, 'LEASE_MS', DEFAULT_TUNING.leaseMs, { min: 100 }),
      sweepIntervalMs: integer(env, 'SWEEP_INTERVAL_MS', DEFAULT_TUNING.sweepIntervalMs, { min: 10 }),
      retryBaseMs: integer(env, 'RETRY_BASE_MS', DEFAULT_TUNING.retryBaseMs, { min: 0 }),
      stepMaxAttempts: integer(env, 'STEP_MAX_ATTEMPTS', DEFAULT_TUNING.stepMaxAttempts, { min: 1, max: 1000 }),
      stepRetryBudgetMs: integer(env, 'STEP_RETRY_BUDGET_MS', DEFAULT_TUNING.stepRetryBudgetMs, { min: 0 }),
      stepTimeoutScale: decimal(env, 'STEP_TIMEOUT_SCALE', DEFAULT_TUNING.stepTimeoutScale, { min: 0.001, max: 100 }),
      engineTimeoutMs: integer(env, 'ENGINE_TIMEOUT_MS', DEFAULT_TUNING.engineTimeoutMs, { min: 1 }),
      maxConcurrentEngineCalls: integer(env, 'ENGINE_CONCURRENCY', DEFAULT_TUNING.maxConcurrentEngineCalls, { min: 1 }),
      shutdownGraceMs: integer(env, 'SHUTDOWN_GRACE_MS', DEFAULT_TUNING.shutdownGraceMs, { min: 0 }),
      engineMaxActiveRuns: integer(env, 'ENGINE_MAX_ACTIVE_RUNS', DEFAULT_TUNING.engineMaxActiveRuns, { min: 1 }),
      maxActiveRunsPerProcess: integer(env, 'MAX_ACTIVE_RUNS_PER_PROCESS', DEFAULT_TUNING.maxActiveRunsPerProcess, { min: 1 }),
      maxParallelSteps: integer(env, 'MAX_PARALLEL_STEPS', DEFAULT_TUNING.maxParallelSteps, { min: 1, max: 32 }),
    },
    webhooks: {
      allowPrivate: boolean(env, 'WEBHOOK_ALLOW_PRIVATE', DEFAULT_WEBHOOK_SETTINGS.allowPrivate),
      concurrency: integer(env, 'WEBHOOK_CONCURRENCY', DEFAULT_WEBHOOK_SETTINGS.concurrency, { min: 1, max: 1000 }),
      // Only shorter: the schedule's 24 hours and more, and the 3-day window, are the promise.
      timeScale: decimal(env, 'WEBHOOK_TIME_SCALE', DEFAULT_WEBHOOK_SETTINGS.timeScale, { min: 0.000001, max: 1 }),
      pollIntervalMs: integer(env, 'WEBHOOK_POLL_INTERVAL_MS', DEFAULT_WEBHOOK_SETTINGS.pollIntervalMs, { min: 10 }),
      leaseMs: integer(env, 'WEBHOOK_LEASE_MS', DEFAULT_WEBHOOK_SETTINGS.leaseMs, { min: 100 }),
    },
  };
}

function erpnextConfig(env: Env): Config['erpnext'] {
  const url = optional(env.ERPNEXT_URL);
  if (!url) return undefined;
  const apiKey = optional(env.ERPNEXT_API_KEY);
  const apiSecret = optional(env.ERPNEXT_API_SECRET);
  if (!apiKey || !apiSecret) {
    throw new ConfigError('ERPNEXT_URL is set, so ERPNEXT_API_KEY and ERPNEXT_API_SECRET are required too (an API key pair of the ERPNext user).');
  }
  return { url, apiKey, apiSecret };
}

/** TRUST_PROXY: unset/false, true (every hop), a hop count, or comma-separated addresses/subnets (express's `trust proxy`). */
function trustProxy(env: Env): TrustProxy {
  const raw = optional(env.TRUST_PROXY);
  if (raw === undefined) return false;
  if (/^\d+$/.test(raw)) return Number(raw);
  const lower = raw.toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(lower)) return true;
  if (['0', 'false', 'no', 'off'].includes(lower)) return false;
  const list = raw.split(',').map((entry) => entry.trim()).filter(Boolean);
  try {
    trustFunction(list);
  } catch {
    throw new ConfigError(`TRUST_PROXY must be true, false, a hop count or addresses/subnets such as "10.0.0.0/8,loopback", got "${raw}".`);
  }
  return list;
}

function eventBusUrl(env: Env): string | undefined {
  const raw = optional(env.EVENT_BUS_URL);
  if (raw === undefined || /^rediss?:\/\/[^\s]+$/.test(raw)) return raw;
  throw new ConfigError('EVENT_BUS_URL must be a Redis URL such as redis://127.0.0.1:6379 (or rediss:// with TLS); leave it unset to use PostgreSQL NOTIFY.');
}

function optional(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

function integer(env: Env, name: string, fallback: number, range: { min?: number; max?: number } = {}): number {
  const raw = optional(env[name]);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  const { min = -Infinity, max = Infinity } = range;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got "${raw}".`);
  }
  return value;
}

function decimal(env: Env, name: string, fallback: number, range: { min: number; max: number }): number {
  const raw = optional(env[name]);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < range.min || value > range.max) {
    throw new ConfigError(`${name} must be a number between ${range.min} and ${range.max}, got "${raw}".`);
  }
  return value;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = optional(env[name]);
  if (raw === undefined) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}".`);
}

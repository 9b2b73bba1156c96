import 'reflect-metadata';
import path from 'node:path';
import type { Logger } from 'pino';
import { CachedEngineHealth } from '../engine/health.js';
import { ErpNextClient } from '../engine/erpnext/index.js';
import { startSandbox, type RunningSandbox } from '../engine/sandbox/index.js';
import { createLogger } from '../lib/logger.js';
import { EventHub } from '../provisioning/events/event-hub.js';
import { EventRelay } from '../provisioning/events/event-relay.js';
import { eventBusChannel, RedisEventBus } from '../provisioning/events/external-bus.js';
import { Orchestrator } from '../provisioning/orchestrator.js';
import { TransitionWriter } from '../provisioning/transitions/transition-writer.js';
import { bootstrapPlatformAdmin, DEVELOPMENT_ADMIN_EMAIL, developmentAdminCredentials } from '../tenants/auth/bootstrap-admin.js';
import { LoginRateLimiter } from '../tenants/auth/login-rate-limiter.js';
import { Sessions } from '../tenants/auth/sessions.js';
import { resolveJwtSecret, TokenService } from '../tenants/auth/tokens.js';
import { DeliveryWorker } from '../webhooks/delivery-worker.js';
import { SecretBox } from '../webhooks/secrets.js';
import type { Config } from './config.js';
import { openDatabase, type Database } from './database/index.js';
import { buildServiceSchema } from './graphql/app-schema.js';
import { startHttpServer, type RunningHttpServer } from './http-server.js';
import { checkReadiness } from './readiness.js';
import { mountWebRoutes } from './web/routes.js';
import { leasesHeldOf, poolStatsOf, runsByStatusOf } from './observability/database-gauges.js';
import { observabilityPlugin, observeGraphqlRequests, subscriptionFieldOf } from './observability/graphql-observability.js';
import { ServiceMetrics } from './observability/metrics.js';
import { mountMetrics } from './observability/metrics-route.js';
import { traceEngineCall, tracedEngine } from './observability/traced-engine.js';
import { installTracing } from './observability/tracing.js';

export interface RunningService {
  url: string;
  port: number;
  database: Database;
  orchestrator: Orchestrator;
  /** Set when the built-in sandbox stands in for ERPNext. */
  sandbox?: RunningSandbox;
  engineUrl: string;
  log: Logger;
  /** This instance's Prometheus registry, served at GET /metrics. */
  metrics: ServiceMetrics;
  /** Graceful stop: runs drain, leases are released, sockets close, the database stops. */
  close(): Promise<void>;
}

/** The composition root: builds every part from the config and wires them together. */
export async function startService(config: Config, log: Logger = createLogger({ level: config.logLevel })): Promise<RunningService> {
  const cleanups: Array<{ name: string; run: () => Promise<unknown> }> = [];
  const onClose = (name: string, run: () => Promise<unknown>) => cleanups.push({ name, run });
  const closeAll = async () => {
    for (const { name, run } of cleanups.reverse()) {
      log.debug({ part: name }, 'stopping');
      await run().catch((error) => log.error({ err: error, part: name }, 'error during shutdown'));
    }
  };
  try {
    const tracing = installTracing();
    onClose('trace export', () => tracing.flush());
    const metrics = new ServiceMetrics();
    const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, log });
    onClose('database', () => database.close());

    let sandbox: RunningSandbox | undefined;
    let erpnext = config.erpnext;
    if (!erpnext) {
      sandbox = await startSandbox({ port: 0 });
      onClose('sandbox', () => sandbox!.close());
      erpnext = { url: sandbox.url, apiKey: sandbox.apiKey, apiSecret: sandbox.apiSecret };
      log.info({ url: sandbox.url }, 'ERPNEXT_URL is not set: started the built-in ERPNext sandbox');
    }
    const engine = tracedEngine(
      new ErpNextClient({
        ...erpnext,
        timeoutMs: config.provisioning.engineTimeoutMs,
        maxConcurrentRequests: config.provisioning.maxConcurrentEngineCalls,
        onCall: (call) => {
          metrics.recordEngineCall(call);
          traceEngineCall(call);
        },
      }),
    );
    const health = new CachedEngineHealth(engine, {
      ttlMs: config.engineHealthTtlMs,
      offlineTtlMs: Math.min(config.engineHealthTtlMs, config.engineOfflineRecheckMs),
    });
    void health.check(); // warm: the first startProvisioning then knows the engine's state

    const jwtSecret = resolveJwtSecret(config.jwtSecret, config.dataDir);
    const tokens = new TokenService(jwtSecret, config.jwtTtlMs);
    const developmentAdmin = !config.adminEmail && config.nodeEnv !== 'production';
    const admin = developmentAdmin ? developmentAdminCredentials(config.dataDir, log) : { email: config.adminEmail, password: config.adminPassword };
    await bootstrapPlatformAdmin(database.orm.em.fork(), log, admin.email, admin.password);

    const bus = config.eventBusUrl ? new RedisEventBus(config.eventBusUrl, await eventBusChannel(database.orm.em), log) : undefined;
    if (bus) onClose('event bus', () => bus.close());
    const hub = new EventHub({ url: database.url, em: database.orm.em, log, probeIntervalMs: config.listenProbeIntervalMs, bus });
    await hub.start();
    onClose('event hub', () => hub.stop());
    // Closed after the runs drain, so their last events are published.
    const relay = bus && new EventRelay({ em: database.orm.em, bus, log });
    if (relay) {
      relay.start();
      onClose('event relay', () => relay.stop());
    }

    // Stopped after the runs drain (their last events' deliveries are written), before the database closes.
    const webhookSecrets = new SecretBox(jwtSecret);
    const webhooks = new DeliveryWorker({
      em: database.orm.em,
      databaseUrl: database.url,
      log,
      settings: config.webhooks,
      secrets: webhookSecrets,
      onAttempt: (result) => metrics.recordWebhookAttempt(result),
    });
    await webhooks.start();
    onClose('webhook deliveries', () => webhooks.stop());

    const writer = new TransitionWriter(
      database.orm.em,
      log,
      (committed) => {
        metrics.recordTransition(committed);
        relay?.poke();
      },
      relay ? 'outbox' : 'notify',
    );
    const orchestrator = new Orchestrator({ em: database.orm.em, writer, engine, availability: health, log, tuning: config.provisioning });
    hub.onRunsReleased(() => void orchestrator.sweep());
    hub.onRunEnded(() => orchestrator.admitSoon());
    metrics.watch({
      activeRuns: () => orchestrator.activeRuns,
      openSubscriptions: () => hub.subscriberCount,
      runsByStatus: runsByStatusOf(database.orm.em),
      leasesHeld: leasesHeldOf(database.orm.em, orchestrator.owner),
      pool: poolStatsOf(database.orm.em),
    });

    const sessions = new Sessions(tokens, database.orm.em);
    const limiter = new LoginRateLimiter(await database.orm.em.getConnection().getNativeClient(), config.loginLimits);
    const schema = await buildServiceSchema({
      tokens,
      limiter,
      sessions,
      orchestrator,
      health,
      hub,
      subscriptionBufferEvents: config.subscriptionBufferEvents,
      webhooks: { secrets: webhookSecrets, policy: config.webhooks },
    });
    const http: RunningHttpServer = await startHttpServer(
      {
        schema,
        log,
        sessions,
        forkEm: () => database.orm.em.fork(),
        introspection: config.introspection,
        trustProxy: config.trustProxy,
        socketLimits: config.socketLimits,
        readiness: () => checkReadiness({ em: database.orm.em, listenerConnected: () => hub.connected, engineHealth: () => health.check() }),
        plugins: [observabilityPlugin(metrics)],
        aroundGraphqlRequest: observeGraphqlRequests(log),
        onWsResult: (args, event) => {
          const subscription = subscriptionFieldOf(args);
          if (subscription) metrics.recordEventDelivered(subscription, hub.isLive(event) ? Date.parse(event.at) : undefined);
        },
        mount: (app) => {
          mountMetrics(app, metrics.registry, { token: config.metricsToken, production: config.nodeEnv === 'production' });
          mountWebRoutes(app, {
            graphiql: config.graphiql,
            // The file developmentAdminCredentials keeps the password in, as DATA_DIR names it.
            developmentAdmin: developmentAdmin ? { email: DEVELOPMENT_ADMIN_EMAIL, passwordFile: path.join(config.dataDir, 'admin-password') } : undefined,
          });
        },
      },
      config.port,
      config.host,
    );
    // Stop taking requests, drain the runs while subscribers still hear them, release every
    // lease, and only then close the subscriptions (1001): all before the database goes.
    onClose('runs and HTTP', async () => {
      http.stopAccepting();
      await orchestrator.shutdown();
      await http.close();
    });
    orchestrator.start();
    log.info({ url: `${http.url}/graphql`, owner: orchestrator.owner }, 'service started');

    return {
      url: http.url,
      port: http.port,
      database,
      orchestrator,
      sandbox,
      engineUrl: erpnext.url,
      log,
      metrics,
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

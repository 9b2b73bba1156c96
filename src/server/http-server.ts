import { ApolloServer, type ApolloServerPlugin, type ContextFunction } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware, type ExpressContextFunctionArgument } from '@as-integrations/express5';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { GraphQLError, type ExecutionArgs, type GraphQLSchema } from 'graphql';
import { createServer, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../lib/errors.js';
import { lazyRequestContext, type RequestContext } from '../lib/request-context.js';
import type { Sessions } from '../tenants/auth/sessions.js';
import { bearerToken, type Viewer } from '../tenants/auth/tokens.js';
import { trustFunction, type TrustProxy } from './client-address.js';
import { costLimitPlugin } from './graphql/cost.js';
import { documentGuard } from './graphql/document-guard.js';
import { formatError } from './graphql/format-error.js';
import { DEFAULT_QUERY_LIMITS, queryLimitRules, type QueryLimits } from './graphql/limits.js';
import { securityHeaders } from './security-headers.js';
import { DEFAULT_SOCKET_LIMITS, type SocketLimits } from './ws/socket-caps.js';
import { startWsServer } from './ws/ws-server.js';

export interface HttpServerOptions {
  schema: GraphQLSchema;
  log: Logger;
  sessions: Pick<Sessions, 'authenticate' | 'isCurrent'>;
  /** A fresh EntityManager fork per request or subscription. */
  forkEm: () => EntityManager;
  readiness: () => Promise<{ ready: boolean; checks: Record<string, unknown> }>;
  introspection: boolean;
  limits?: QueryLimits;
  socketLimits?: SocketLimits;
  /** Whose X-Forwarded-For to believe for the client address (TRUST_PROXY). */
  trustProxy?: TrustProxy;
  maxBodyBytes?: number;
  maxBatchSize?: number;
  /** Extra routes mounted before GraphQL (GraphiQL, the provisioning page, metrics). */
  mount?: (app: express.Express) => void;
  /** Observability: more Apollo plugins (per operation over HTTP). */
  plugins?: ApolloServerPlugin<RequestContext>[];
  /** Observability: runs around each parsed /graphql HTTP request; `res.locals.requestId` is set. */
  aroundGraphqlRequest?: RequestHandler;
  /** Observability: told of every result sent over graphql-ws (subscription events among them). */
  onWsResult?: (args: ExecutionArgs, event: unknown) => void;
}

export interface RunningHttpServer {
  url: string;
  port: number;
  server: Server;
  /** Takes no new connections; open sockets (and their subscriptions) go on. */
  stopAccepting(): void;
  /** Closes subscriptions with 1001 (clients move to another replica), lets in-flight requests finish. */
  close(): Promise<void>;
}

/** Apollo's own CSRF headers, plus Authorization: a browser preflights any request that sets it. */
const CSRF_PREFLIGHT_HEADERS = ['x-apollo-operation-name', 'apollo-require-preflight', 'authorization'];

export async function startHttpServer(options: HttpServerOptions, port: number, host: string): Promise<RunningHttpServer> {
  const { schema, log, sessions, forkEm, limits = DEFAULT_QUERY_LIMITS, maxBodyBytes = 100 * 1024, maxBatchSize = 10 } = options;
  const trust = trustFunction(options.trustProxy ?? false);
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', trust);
  app.use(securityHeaders());
  const httpServer = createServer(app);

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const report = await options.readiness();
    res.status(report.ready ? 200 : 503).json({ status: report.ready ? 'ready' : 'not ready', ...report.checks });
  });
  options.mount?.(app);

  const ws = startWsServer({
    httpServer,
    schema,
    log,
    sessions,
    forkEm,
    limits,
    socketLimits: options.socketLimits ?? DEFAULT_SOCKET_LIMITS,
    introspection: options.introspection,
    maxPayloadBytes: maxBodyBytes,
    trust,
    onResult: options.onWsResult,
  });

  const apollo = new ApolloServer<RequestContext>({
    schema,
    introspection: options.introspection,
    allowBatchedHttpRequests: true,
    csrfPrevention: { requestHeaders: CSRF_PREFLIGHT_HEADERS },
    // The service orders its own shutdown (runs drain first); Apollo must not race it.
    stopOnTerminationSignals: false,
    parseOptions: { maxTokens: limits.maxTokens },
    validationRules: queryLimitRules(limits),
    formatError: (formatted, error) => formatError(formatted, error, log),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      // No HTTP caching of GraphQL here; the default plugin would wrap every field resolver for nothing.
      ApolloServerPluginCacheControlDisabled(),
      costLimitPlugin(limits.maxCost),
      { serverWillStart: async () => ({ drainServer: async () => ws.dispose() }) },
      ...(options.plugins ?? []),
    ],
  });
  await apollo.start();

  const context: ContextFunction<[ExpressContextFunctionArgument], RequestContext> = async ({ req, res }) => {
    const requestId = String(res.locals.requestId);
    const token = bearerToken(req.headers.authorization);
    let viewer: Viewer | null = null;
    if (token) {
      try {
        viewer = await sessions.authenticate(token);
      } catch (error) {
        // Anything but a refused token (the database failing the revocation check) is ours to report.
        if (!(error instanceof AppError)) throw error;
        // Carries the AppError so formatError keeps its code and message.
        throw new GraphQLError(error.message, { originalError: error, extensions: { code: error.code, http: { status: 401 } } });
      }
    }
    return lazyRequestContext({ forkEm, log, logBindings: { requestId }, viewer, requestId, clientAddress: req.ip ?? 'unknown' });
  };

  app.use(
    '/graphql',
    (req: Request, res: Response, next: NextFunction) => {
      // The caller's id when it sent a sane one, so its logs and ours can be matched; echoed back.
      res.locals.requestId = headerValue(req.headers['x-request-id']) ?? randomUUID();
      res.setHeader('x-request-id', res.locals.requestId);
      next();
    },
    express.json({ limit: maxBodyBytes }),
    ...(options.aroundGraphqlRequest ? [options.aroundGraphqlRequest] : []),
    documentGuard(schema, limits, maxBatchSize),
    expressMiddleware(apollo, { context }),
  );
  app.use(jsonErrorHandler(log, maxBodyBytes));

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(port, host, () => resolve());
  });
  const address = httpServer.address() as AddressInfo;
  const url = `http://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host}:${address.port}`;
  const stopAccepting = () => {
    if (httpServer.listening) httpServer.close(() => undefined);
  };
  return {
    url,
    port: address.port,
    server: httpServer,
    stopAccepting,
    async close() {
      stopAccepting();
      // Subscriptions first (1001: going away, try another replica), then in-flight HTTP requests.
      ws.closeSockets();
      await apollo.stop();
    },
  };
}

function headerValue(value: string | string[] | undefined): string | undefined {
  const single = Array.isArray(value) ? value[0] : value;
  return single && /^[\w.-]{1,128}$/.test(single) ? single : undefined;
}

/** Body parser and batch errors answered as GraphQL-shaped JSON, not express's HTML page. */
function jsonErrorHandler(log: Logger, maxBodyBytes: number) {
  return (error: Error & { status?: number; type?: string; expose?: boolean; code?: unknown }, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const status = error.status && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500) log.error({ err: error }, 'unexpected error in the HTTP layer');
    const message =
      error.type === 'entity.too.large'
        ? `The request body is too large. Keep GraphQL requests under ${Math.floor(maxBodyBytes / 1024)} KB.`
        : error.type === 'entity.parse.failed'
          ? 'The request body is not valid JSON. Send {"query": "...", "variables": {...}}.'
          : status === 500
            ? 'Internal server error.'
            : error.message;
    const code = status === 500 ? 'INTERNAL_SERVER_ERROR' : typeof error.code === 'string' && error.expose ? error.code : 'BAD_REQUEST';
    res.status(status).json({ errors: [{ message, extensions: { code } }] });
  };
}

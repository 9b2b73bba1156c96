import { ApolloServer, type ApolloServerPlugin, type ContextFunction } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware, type ExpressContextFunctionArgument } from '@as-integrations/express5';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { GraphQLError, NoSchemaIntrospectionCustomRule, type ExecutionArgs, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { createServer, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import { AppError, unauthenticated } from '../lib/errors.js';
import { lazyRequestContext, type RequestContext } from '../lib/request-context.js';
import { bearerToken, type TokenService, type Viewer } from '../tenants/auth/tokens.js';
import { formatError, formatErrors } from './graphql/format-error.js';
import { DEFAULT_QUERY_LIMITS, queryLimitsRule, type QueryLimits } from './graphql/limits.js';
import { wsOperation } from './graphql/ws-operation.js';
import type { EntityManager } from '@mikro-orm/postgresql';

export interface HttpServerOptions {
  schema: GraphQLSchema;
  log: Logger;
  tokens: TokenService;
  /** A fresh EntityManager fork per request or subscription. */
  forkEm: () => EntityManager;
  readiness: () => Promise<{ ready: boolean; checks: Record<string, unknown> }>;
  introspection: boolean;
  limits?: QueryLimits;
  maxBodyBytes?: number;
  maxBatchSize?: number;
  /** Extra routes mounted before GraphQL (GraphiQL, the provisioning page, metrics). */
  mount?: (app: express.Express) => void;
  /** Observability: more Apollo plugins (per operation over HTTP). */
  plugins?: ApolloServerPlugin<RequestContext>[];
  /** Observability: runs around each parsed /graphql HTTP request; `res.locals.requestId` is set. */
  aroundGraphqlRequest?: RequestHandler;
  /** Observability: told of every result sent over graphql-ws (subscription events among them). */
  onWsResult?: (args: ExecutionArgs) => void;
  /** Observability: the body of GET /metrics (Prometheus text format). */
  metrics?: () => Promise<{ contentType: string; body: string }>;
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

/**
 * graphql-ws's own code for "not authenticated": its client treats it as final and does not
 * retry, which is right for a missing, forged or expired token (4403 would be retried).
 */
const WS_CLOSE_UNAUTHORIZED = 4401;
const WS_UNAUTHORIZED_REASON = 'Unauthorized: send authorization "Bearer <token>" from login in connection_init';

export async function startHttpServer(options: HttpServerOptions, port: number, host: string): Promise<RunningHttpServer> {
  const { schema, log, tokens, forkEm, limits = DEFAULT_QUERY_LIMITS, maxBodyBytes = 100 * 1024, maxBatchSize = 10 } = options;
  const app = express();
  app.disable('x-powered-by');
  const httpServer = createServer(app);

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const report = await options.readiness();
    res.status(report.ready ? 200 : 503).json({ status: report.ready ? 'ready' : 'not ready', ...report.checks });
  });
  const metrics = options.metrics;
  if (metrics) {
    app.get('/metrics', async (_req, res) => {
      const { contentType, body } = await metrics();
      res.type(contentType).send(body);
    });
  }
  options.mount?.(app);

  // The rules Apollo applies on HTTP (it adds its own introspection switch), for the WebSocket too.
  const prepareWsOperation = wsOperation(schema, [queryLimitsRule(limits), ...(options.introspection ? [] : [NoSchemaIntrospectionCustomRule])]);
  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql', maxPayload: maxBodyBytes });
  const wsCleanup = useServer<Record<string, unknown>, { viewer?: Viewer; expiryTimer?: NodeJS.Timeout; requestId?: string }>(
    {
      schema,
      onSubscribe: (_ctx, _id, payload) => prepareWsOperation(payload),
      // The token travels in connection_init: browsers cannot set headers on a WebSocket.
      onConnect: async (ctx) => {
        // Closing here first makes the code 4401; graphql-ws's own close (4403) is then a no-op.
        const refuse = () => {
          ctx.extra.socket.close(WS_CLOSE_UNAUTHORIZED, WS_UNAUTHORIZED_REASON);
          return false;
        };
        const token = bearerToken(ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization);
        if (!token) return refuse();
        try {
          const viewer = await tokens.verify(token);
          ctx.extra.viewer = viewer;
          // A token that expires while subscribed ends the socket, and with it the subscriptions.
          ctx.extra.expiryTimer = setTimeout(
            () => ctx.extra.socket.close(WS_CLOSE_UNAUTHORIZED, 'Token expired: sign in again'),
            // setTimeout fires at once past 2^31-1 ms (24.8 days): such a socket reconnects early instead.
            Math.min(Math.max(0, viewer.expiresAt - Date.now()), 2 ** 31 - 1),
          );
          return true;
        } catch {
          return refuse();
        }
      },
      onClose: (ctx) => clearTimeout(ctx.extra.expiryTimer),
      context: (ctx): RequestContext => {
        const requestId = randomUUID();
        return lazyRequestContext({
          forkEm,
          log,
          logBindings: { requestId, transport: 'ws' },
          viewer: ctx.extra.viewer ?? null,
          requestId,
          clientAddress: ctx.extra.request.socket.remoteAddress ?? 'unknown',
        });
      },
      onNext: (_ctx, _id, _payload, args, result) => {
        options.onWsResult?.(args);
        if (!result.errors?.length) return result;
        const requestId = (args.contextValue as RequestContext | undefined)?.requestId;
        return { ...result, errors: formatErrors(result.errors, log, requestId) };
      },
      onError: (_ctx, _id, _payload, errors) => formatErrors(errors, log),
    },
    wsServer,
  );

  const apollo = new ApolloServer<RequestContext>({
    schema,
    introspection: options.introspection,
    allowBatchedHttpRequests: true,
    csrfPrevention: { requestHeaders: ['x-apollo-operation-name', 'apollo-require-preflight', 'authorization'] },
    // The service orders its own shutdown (runs drain first); Apollo must not race it.
    stopOnTerminationSignals: false,
    validationRules: [queryLimitsRule(limits)],
    formatError: (formatted, error) => formatError(formatted, error, log),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      // No HTTP caching of GraphQL here; the default plugin would wrap every field resolver for nothing.
      ApolloServerPluginCacheControlDisabled(),
      { serverWillStart: async () => ({ drainServer: async () => wsCleanup.dispose() }) },
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
        viewer = await tokens.verify(token);
      } catch (error) {
        // Carries the AppError so formatError keeps its code and message.
        const reason = error instanceof AppError ? error : unauthenticated('The token is invalid: sign in again with the login mutation.');
        throw new GraphQLError(reason.message, { originalError: reason, extensions: { code: reason.code, http: { status: 401 } } });
      }
    }
    return lazyRequestContext({ forkEm, log, logBindings: { requestId }, viewer, requestId, clientAddress: req.ip ?? req.socket.remoteAddress ?? 'unknown' });
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
    (req: Request, _res: Response, next: NextFunction) => {
      if (Array.isArray(req.body) && req.body.length > maxBatchSize) {
        next(httpError(400, `A batch may hold at most ${maxBatchSize} operations; this one has ${req.body.length}. Send them in smaller batches.`));
        return;
      }
      next();
    },
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
      // Apollo's drain closes the WebSocket subscriptions first (graphql-ws: 1001 Going away),
      // then waits for in-flight HTTP requests.
      await apollo.stop();
    },
  };
}

function headerValue(value: string | string[] | undefined): string | undefined {
  const single = Array.isArray(value) ? value[0] : value;
  return single && /^[\w.-]{1,128}$/.test(single) ? single : undefined;
}

function httpError(status: number, message: string) {
  return Object.assign(new Error(message), { status, expose: true });
}

/** Body parser and batch errors answered as GraphQL-shaped JSON, not express's HTML page. */
function jsonErrorHandler(log: Logger, maxBodyBytes: number) {
  return (error: Error & { status?: number; type?: string; expose?: boolean }, _req: Request, res: Response, next: NextFunction) => {
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
    res.status(status).json({ errors: [{ message, extensions: { code: status === 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST' } }] });
  };
}

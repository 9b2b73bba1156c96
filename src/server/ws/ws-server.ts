import { GraphQLError, type ExecutionArgs, type GraphQLSchema } from 'graphql';
import { CloseCode, type Context } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, unauthenticated } from '../../lib/errors.js';
import { lazyRequestContext, type RequestContext } from '../../lib/request-context.js';
import { bearerToken, type Viewer } from '../../tenants/auth/tokens.js';
import type { Sessions } from '../../tenants/auth/sessions.js';
import { clientAddressOf, type TrustFunction } from '../client-address.js';
import { formatErrors } from '../graphql/format-error.js';
import type { QueryLimits } from '../graphql/limits.js';
import { wsOperation } from '../graphql/ws-operation.js';
import { OperationBudget } from './operation-budget.js';
import { sharedSubscriptions } from './shared-execution.js';
import { SocketCaps, type SocketLimits } from './socket-caps.js';

/**
 * RFC 6455 "Try Again Later" (graphql-ws defines no code for a server at capacity): too many
 * sockets from one address, or too many waiting for connection_init. graphql-ws's client
 * retries it with back-off, which is right: the condition passes.
 */
export const CLOSE_TRY_AGAIN_LATER = 1013;

const UNAUTHORIZED_REASON = 'Unauthorized: send authorization "Bearer <token>" from login in connection_init';
const REVOKED_REASON = 'Token revoked: sign in again';

export interface WsServerOptions {
  httpServer: Server;
  schema: GraphQLSchema;
  log: Logger;
  sessions: Pick<Sessions, 'authenticate' | 'isCurrent'>;
  forkEm: () => EntityManager;
  limits: QueryLimits;
  socketLimits: SocketLimits;
  introspection: boolean;
  maxPayloadBytes: number;
  trust: TrustFunction;
  /** Each subscription result about to be written to its socket, with the event it shows. */
  onResult?: (args: ExecutionArgs, event: unknown) => void;
}

/** Set once connection_init is accepted; graphql-ws never serves a subscribe before that. */
type SocketState = {
  viewer?: Viewer;
  expiryTimer?: NodeJS.Timeout;
  budget?: OperationBudget;
};

type SocketContext = Context<Record<string, unknown>, { socket: WebSocket; request: IncomingMessage } & SocketState>;

/** RFC 6455 "Going Away": the server is shutting down (graphql-ws's client reconnects). */
const CLOSE_GOING_AWAY = 1001;

export interface RunningWsServer {
  /** Ends every socket, and with them their subscriptions. */
  closeSockets(): void;
  dispose(): Promise<void>;
}

/** graphql-ws on /graphql: the token in connection_init, the HTTP limits per operation, caps per socket and address. */
export function startWsServer(options: WsServerOptions): RunningWsServer {
  const { schema, log, sessions, limits, socketLimits } = options;
  const prepare = wsOperation(schema, limits, { introspection: options.introspection });
  const subscriptions = sharedSubscriptions();
  const caps = new SocketCaps(socketLimits);
  const wsServer = new WebSocketServer({ server: options.httpServer, path: '/graphql', maxPayload: options.maxPayloadBytes });
  // Registered before graphql-ws's own listener, so a refused socket is closed before it is served.
  wsServer.on('connection', (socket, request) => {
    logProtocolErrors(socket, log);
    const refusal = caps.admit(socket, clientAddressOf(request, options.trust));
    if (refusal) socket.close(CLOSE_TRY_AGAIN_LATER, refusal);
  });
  const revoked = async (ctx: SocketContext) => {
    const viewer = ctx.extra.viewer;
    if (!viewer || (await sessions.isCurrent(viewer))) return false;
    ctx.extra.socket.close(CloseCode.Unauthorized, REVOKED_REASON);
    return true;
  };

  const server = useServer<Record<string, unknown>, SocketState>(
    {
      schema,
      subscribe: subscriptions.subscribe,
      // The token travels in connection_init: browsers cannot set headers on a WebSocket.
      onConnect: async (ctx) => {
        caps.initialised(ctx.extra.socket);
        ctx.extra.budget = new OperationBudget(socketLimits.operationsPerSocket, limits.maxCost);
        // Closing here first makes the code 4401; graphql-ws's own close (4403) is then a no-op.
        const refuse = () => {
          ctx.extra.socket.close(CloseCode.Unauthorized, UNAUTHORIZED_REASON);
          return false;
        };
        const token = bearerToken(ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization);
        if (!token) return refuse();
        try {
          const viewer = await sessions.authenticate(token);
          ctx.extra.viewer = viewer;
          // A token that expires while subscribed ends the socket, and with it the subscriptions.
          ctx.extra.expiryTimer = setTimeout(
            () => ctx.extra.socket.close(CloseCode.Unauthorized, 'Token expired: sign in again'),
            // setTimeout fires at once past 2^31-1 ms (24.8 days): such a socket reconnects early instead.
            Math.min(Math.max(0, viewer.expiresAt - Date.now()), 2 ** 31 - 1),
          );
          return true;
        } catch {
          return refuse();
        }
      },
      onSubscribe: async (ctx, id, payload) => {
        // A revoked token ends the socket at its next message, as an expired one does.
        if (await revoked(ctx)) return [asGraphQLError(unauthenticated(REVOKED_REASON))];
        const prepared = prepare(payload);
        if (!('args' in prepared)) return prepared;
        const refusal = ctx.extra.budget!.reserve(id, prepared.cost, (other) => other in ctx.subscriptions);
        return refusal ? [refusal] : prepared.args;
      },
      onComplete: (ctx, id) => ctx.extra.budget?.release(id),
      onClose: (ctx) => clearTimeout(ctx.extra.expiryTimer),
      context: (ctx): RequestContext => {
        const requestId = randomUUID();
        return lazyRequestContext({
          forkEm: options.forkEm,
          log,
          logBindings: { requestId, transport: 'ws' },
          viewer: ctx.extra.viewer ?? null,
          requestId,
          clientAddress: clientAddressOf(ctx.extra.request, options.trust),
        });
      },
      onNext: (ctx, _id, _payload, args, result) => {
        // Each event delivered checks the token too (cached), so a revoked subscriber stops
        // getting events within the cache time. The check runs beside the delivery, never in its
        // way: a slow or unreachable database must not hold events back.
        void revoked(ctx).catch(() => false);
        options.onResult?.(args, subscriptions.eventOf(result));
        if (!result.errors?.length) return result;
        const requestId = (args.contextValue as RequestContext | undefined)?.requestId;
        return { ...result, errors: formatErrors(result.errors, log, requestId) };
      },
      onError: (_ctx, _id, _payload, errors) => formatErrors(errors, log),
    },
    wsServer,
  );
  return {
    closeSockets: () => {
      for (const socket of wsServer.clients) socket.close(CLOSE_GOING_AWAY, 'Server shutting down');
    },
    dispose: async () => server.dispose(),
  };
}

/**
 * ws reports a protocol error (an oversized message: "Max payload size exceeded") as an 'error'
 * event and closes the socket itself with the matching code (1009). graphql-ws would print the
 * event's stack to stderr with console.error; it goes to the log instead, as one JSON line.
 */
function logProtocolErrors(socket: WebSocket, log: Logger): void {
  const emit = socket.emit.bind(socket);
  socket.emit = ((event: string | symbol, ...args: unknown[]) => {
    if (event !== 'error') return emit(event, ...args);
    const error = args[0] as Error & { code?: string };
    log.warn({ error: error.message, code: error.code }, 'WebSocket protocol error: the socket was closed');
    return true;
  }) as typeof socket.emit;
}

function asGraphQLError(error: AppError): GraphQLError {
  return new GraphQLError(error.message, { originalError: error, extensions: { code: error.code } });
}

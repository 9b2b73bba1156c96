import type { ApolloServerPlugin } from '@apollo/server';
import { context, propagation, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { getOperationAST, Kind, type ExecutionArgs, type GraphQLFormattedError } from 'graphql';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from 'pino';
import type { RequestContext } from '../../lib/request-context.js';
import { withRequestId } from '../../lib/request-origin.js';
import { MAX_OPERATION_LABEL_LENGTH, type ServiceMetrics } from './metrics.js';
import { truncate } from '../../lib/validation.js';
import { TRACER_NAME } from './tracing.js';

const tracer = trace.getTracer(TRACER_NAME);

/** What one HTTP request to /graphql did, filled in by the Apollo plugin, logged at its end. */
interface GraphqlRequestRecord {
  span: Span;
  /** A batch is one request (one span, one log line) carrying several operations. */
  batch: boolean;
  operations: string[];
  callerId: string | null;
  errorCodes: string[];
}

const requests = new AsyncLocalStorage<GraphqlRequestRecord>();

/**
 * Around each HTTP request to /graphql (after the body is parsed, before Apollo): a SERVER span
 * (continuing the caller's trace when it sent `traceparent`), the request id in the context so
 * runs started by the request carry it, and one log line when the response is sent.
 * `res.locals.requestId` must be set before.
 */
export function observeGraphqlRequests(log: Logger): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const startedAt = performance.now();
    const requestId = String(res.locals.requestId);
    const body: unknown = req.body;
    const batch = Array.isArray(body);
    const parent = propagation.extract(context.active(), req.headers);
    const span = tracer.startSpan(
      batch ? `graphql batch` : `graphql ${operationNameOf(body) ?? 'operation'}`,
      {
        kind: SpanKind.SERVER,
        attributes: { 'http.request.method': req.method, 'url.path': req.originalUrl, 'request.id': requestId, ...(batch ? { 'graphql.batch.size': body.length } : {}) },
      },
      parent,
    );
    const record: GraphqlRequestRecord = { span, batch, operations: [], callerId: null, errorCodes: [] };
    res.once('close', () => {
      const durationMs = Math.round(performance.now() - startedAt);
      const operation = record.operations.join(',') || (batch ? 'batch' : (operationNameOf(body) ?? 'unknown'));
      span.setAttribute('http.response.status_code', res.statusCode);
      if (record.errorCodes.length) {
        span.setAttribute('graphql.error_codes', record.errorCodes);
        span.setStatus({ code: SpanStatusCode.ERROR, message: record.errorCodes.join(',') });
      }
      span.end();
      log.info(
        { requestId, operation, callerId: record.callerId, durationMs, status: res.statusCode, errorCode: record.errorCodes[0] ?? null, traceId: span.spanContext().traceId },
        'graphql request',
      );
    });
    const active = withRequestId(trace.setSpan(parent, span), requestId);
    requests.run(record, () => context.with(active, next));
  };
}

/** Per operation: its name and type on the request's span, its latency in the metrics. */
export function observabilityPlugin(metrics: ServiceMetrics): ApolloServerPlugin<RequestContext> {
  return {
    async contextCreationDidFail({ error }) {
      const code = (error as { extensions?: { code?: unknown } }).extensions?.code;
      requests.getStore()?.errorCodes.push(typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR');
    },
    async requestDidStart({ contextValue }) {
      const startedAt = performance.now();
      const record = requests.getStore();
      if (record) record.callerId = contextValue.viewer?.userId ?? null;
      // Only the operation actually resolved names the metric: the body's operationName is
      // whatever a caller typed, and every distinct one would be a label.
      let name = 'unresolved';
      let type = 'unknown';
      return {
        async didResolveOperation({ operation, operationName }) {
          type = operation?.operation ?? 'unknown';
          name = operationName ?? 'anonymous';
          if (record && !record.batch) {
            record.span.updateName(`${type} ${name}`);
            record.span.setAttributes({ 'graphql.operation.type': type, 'graphql.operation.name': name });
          }
        },
        async willSendResponse({ response }) {
          const errors: readonly GraphQLFormattedError[] = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
          const codes = errors.map((error) => String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
          record?.operations.push(truncate(name, MAX_OPERATION_LABEL_LENGTH));
          record?.errorCodes.push(...codes);
          metrics.recordOperation({ name, type, ok: codes.length === 0, durationMs: performance.now() - startedAt });
        },
      };
    },
  };
}

/** The root field of a subscription (`provisioningEvents`), or null for queries and mutations. */
export function subscriptionFieldOf(args: Pick<ExecutionArgs, 'document' | 'operationName'>): string | null {
  const operation = getOperationAST(args.document, args.operationName);
  if (operation?.operation !== 'subscription') return null;
  const field = operation.selectionSet.selections.find((selection) => selection.kind === Kind.FIELD);
  return field?.kind === Kind.FIELD ? field.name.value : null;
}

/** A GraphQL name of sane length, for the span name and log line; anything else is not repeated. */
const OPERATION_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;

function operationNameOf(body: unknown): string | undefined {
  const name = typeof body === 'object' && body !== null ? (body as { operationName?: unknown }).operationName : undefined;
  return typeof name === 'string' && OPERATION_NAME.test(name) ? name : undefined;
}

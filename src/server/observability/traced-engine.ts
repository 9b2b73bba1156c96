import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { EngineCall } from '../../engine/erpnext/index.js';
import { isEngineError } from '../../engine/errors.js';
import type { ErpEngine } from '../../engine/port.js';
import { TRACER_NAME } from './tracing.js';

const tracer = trace.getTracer(TRACER_NAME);

/**
 * The engine with a span around each port call (`engine ensureCompany`), opened in the caller's
 * context: called from a step, the span is that step's child, and the HTTP calls it makes
 * (see `traceEngineCall`) are its children.
 */
export function tracedEngine(engine: ErpEngine): ErpEngine {
  return new Proxy(engine, {
    get(target, property, receiver) {
      const member: unknown = Reflect.get(target, property, receiver);
      if (typeof member !== 'function') return member;
      const operation = String(property);
      const call = member as (...callArgs: unknown[]) => Promise<unknown>;
      return (...args: unknown[]) => {
        // Outside any trace (health probes of /readyz) a lone span would only be noise.
        if (!trace.getActiveSpan()) return call.apply(target, args);
        return tracer.startActiveSpan(`engine ${operation}`, { attributes: { 'erp.operation': operation } }, async (span) => {
          try {
            return await call.apply(target, args);
          } catch (error) {
            span.setStatus({ code: SpanStatusCode.ERROR, message: isEngineError(error) ? error.code : String(error) });
            if (isEngineError(error)) span.setAttribute('erp.error_code', error.code);
            throw error;
          } finally {
            span.end();
          }
        });
      };
    },
  });
}

/**
 * One CLIENT span per HTTP call to the engine, made when the call has finished (the client
 * reports it through `onCall`) and dated back to its start. `onCall` runs in the caller's async
 * context, so the span lands under the engine operation that made the call (none outside a trace).
 */
export function traceEngineCall(call: EngineCall): void {
  if (!trace.getActiveSpan()) return;
  const endTime = performance.timeOrigin + performance.now();
  const span = tracer.startSpan(`${call.method} ${call.doctype ?? call.path}`, {
    kind: SpanKind.CLIENT,
    startTime: endTime - call.durationMs,
    attributes: {
      'http.request.method': call.method,
      'url.path': call.path,
      ...(call.doctype ? { 'erp.doctype': call.doctype } : {}),
      ...(call.status !== undefined ? { 'http.response.status_code': call.status } : {}),
    },
  });
  if (call.error) {
    span.setAttribute('erp.error_code', call.error.code);
    span.setStatus({ code: SpanStatusCode.ERROR, message: call.error.message });
  }
  span.end(endTime);
}

import { propagation, type Context } from '@opentelemetry/api';

/**
 * The request id travels in the OpenTelemetry context (as baggage) next to the request's span,
 * so work that outlives the request (a provisioning run started by a mutation) can still name
 * the request that caused it, without the orchestrator knowing about HTTP.
 */
const REQUEST_ID_KEY = 'request.id';

export function withRequestId(parent: Context, requestId: string): Context {
  const baggage = propagation.getBaggage(parent) ?? propagation.createBaggage();
  return propagation.setBaggage(parent, baggage.setEntry(REQUEST_ID_KEY, { value: requestId }));
}

export function requestIdOf(origin: Context): string | undefined {
  return propagation.getBaggage(origin)?.getEntry(REQUEST_ID_KEY)?.value;
}

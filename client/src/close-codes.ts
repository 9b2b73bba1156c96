import { CloseCode } from 'graphql-ws';
import { ProvisioningApiError } from './errors.js';

/** The outcome of a close after which connecting and subscribing again may help. */
const RECONNECT = 'RECONNECT';

/** RFC 6455 codes the service and the network use; graphql-ws's CloseCode names only its own 4xxx codes. */
const WebSocketCode = {
  GoingAway: 1001,
  AbnormalClosure: 1006,
  MessageTooBig: 1009,
  InternalError: 1011,
  ServiceRestart: 1012,
  TryAgainLater: 1013,
  /** What graphql-ws's client reports for a socket it gave up on itself. */
  Terminated: 4499,
} as const;

/**
 * Every close code the SDK knows: RECONNECT (with backoff), or the ProvisioningApiError code to
 * end with (the codes the service puts in `extensions.code`). Add a row when the service
 * documents a new code. A code not listed reconnects too, bounded by ReconnectPolicy.attempts.
 */
const CLOSE_CODE_OUTCOMES: ReadonlyMap<number, string> = new Map<number, string>([
  [CloseCode.BadRequest, 'BAD_REQUEST'],
  [CloseCode.Unauthorized, 'UNAUTHENTICATED'],
  [CloseCode.Forbidden, 'FORBIDDEN'],
  [CloseCode.SubprotocolNotAcceptable, 'BAD_REQUEST'],
  [CloseCode.ConnectionInitialisationTimeout, RECONNECT],
  [CloseCode.ConnectionAcknowledgementTimeout, RECONNECT],
  [CloseCode.SubscriberAlreadyExists, 'CONFLICT'],
  [CloseCode.TooManyInitialisationRequests, 'RATE_LIMITED'],
  [CloseCode.InternalServerError, 'INTERNAL_SERVER_ERROR'],
  [WebSocketCode.Terminated, RECONNECT],
  [WebSocketCode.GoingAway, RECONNECT],
  [WebSocketCode.AbnormalClosure, RECONNECT],
  [WebSocketCode.MessageTooBig, 'BAD_REQUEST'],
  [WebSocketCode.InternalError, 'INTERNAL_SERVER_ERROR'],
  [WebSocketCode.ServiceRestart, RECONNECT],
  [WebSocketCode.TryAgainLater, RECONNECT],
]);

export interface CloseEventLike {
  code: number;
  reason: string;
}

export function isCloseEvent(value: unknown): value is CloseEventLike {
  return typeof value === 'object' && value !== null && typeof (value as { code?: unknown }).code === 'number' && 'reason' in value;
}

export function reconnectsAfter(close: CloseEventLike): boolean {
  return (CLOSE_CODE_OUTCOMES.get(close.code) ?? RECONNECT) === RECONNECT;
}

/**
 * The error a close ends the subscription with. A code that reconnects ends it only once the
 * attempts are used up; a code the table does not know may also end it at once, when graphql-ws
 * itself will not reconnect after it (most 1xxx codes).
 */
export function closeError(close: CloseEventLike, attempts: number): ProvisioningApiError {
  const outcome = CLOSE_CODE_OUTCOMES.get(close.code);
  const closed = `The server closed the subscription (${close.code}${close.reason ? `: ${close.reason}` : ''})`;
  if (outcome === RECONNECT) return disconnected(attempts, closed);
  return new ProvisioningApiError(`${closed}.`, outcome ?? 'DISCONNECTED');
}

export function disconnected(attempts: number, lastFailure = 'The connection failed'): ProvisioningApiError {
  return new ProvisioningApiError(`${lastFailure}, and reconnecting failed ${attempts} times in a row.`, 'DISCONNECTED');
}

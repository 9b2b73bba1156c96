import { Webhook } from 'standardwebhooks';
import { toError } from '../../lib/errors.js';
import { SECOND } from '../../lib/time.js';
import { AddressRefused, resolveTarget, type AddressPolicy } from '../address-policy.js';
import { SecretUnreadable, type SecretBox } from '../secrets.js';
import { post, type HttpAnswer } from './http-post.js';
import { parseRetryAfter } from './retry-schedule.js';

/** The whole attempt, DNS to the last byte read. */
const ATTEMPT_TIMEOUT_MS = 10 * SECOND;
/** Of a response body or an error, this much is kept in `lastError` for the endpoint's owner to read. */
const ERROR_TEXT_CHARS = 300;
const USER_AGENT = 'tenant-provisioning-webhooks/1';

/** A claimed delivery: what an attempt needs. */
export interface ClaimedDelivery {
  id: string;
  /** This attempt's number, the claim's fencing token. */
  attempts: number;
  endpointId: string;
  url: string;
  sealedSecret: string;
  payload: unknown;
}

export type AttemptOutcome =
  | { kind: 'delivered'; statusCode: number }
  | { kind: 'failed'; retry: boolean; statusCode: number | null; error: string; retryAfterMs: number | null }
  /** The process is stopping: the attempt was cut short and the delivery goes back to the queue. */
  | { kind: 'released' };

/** Statuses under 500 that are worth another attempt (RFC 9110: timeout, conflict, too many requests). */
const RETRIED_CLIENT_ERRORS = new Set([408, 409, 429]);

export interface AttemptDeps {
  secrets: SecretBox;
  policy: AddressPolicy;
  /** Aborted when the process stops. */
  stopping: AbortSignal;
}

/** One signed POST of the delivery's event, as the Standard Webhooks spec says, and what came of it. */
export async function attempt(delivery: ClaimedDelivery, deps: AttemptDeps): Promise<AttemptOutcome> {
  const timeout = AbortSignal.timeout(ATTEMPT_TIMEOUT_MS);
  try {
    const body = JSON.stringify(delivery.payload);
    const headers = signedHeaders(delivery.id, deps.secrets.open(delivery.sealedSecret, delivery.endpointId), body);
    const signal = AbortSignal.any([timeout, deps.stopping]);
    const target = await resolveTarget(new URL(delivery.url), deps.policy, signal);
    return judge(await post(target, headers, body, signal));
  } catch (thrown) {
    if (deps.stopping.aborted) return { kind: 'released' };
    if (timeout.aborted) return failure(true, null, `No answer within ${ATTEMPT_TIMEOUT_MS / SECOND} s.`);
    const error = toError(thrown);
    if (error instanceof AddressRefused) return failure(false, null, `Refused to send: ${error.message}`);
    if (error instanceof SecretUnreadable) return failure(true, null, error.message);
    return failure(true, null, `Could not connect: ${[error.code, error.message].filter(Boolean).join(' ')}`);
  }
}

/** `webhook-id`, `webhook-timestamp` (this attempt's) and `webhook-signature` (`v1,<base64 HMAC-SHA256>`). */
export function signedHeaders(id: string, secret: string, body: string): Record<string, string> {
  const now = new Date();
  return {
    'content-type': 'application/json',
    'user-agent': USER_AGENT,
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(now.getTime() / SECOND)),
    'webhook-signature': new Webhook(secret).sign(id, now, body),
  };
}

function judge(answer: HttpAnswer): AttemptOutcome {
  const { status } = answer;
  if (status >= 200 && status < 300) return { kind: 'delivered', statusCode: status };
  // A 3xx is retried too: the owner may fix the URL meanwhile (updateWebhookEndpoint), and the next attempt goes there.
  const retry = status < 400 || status >= 500 || RETRIED_CLIENT_ERRORS.has(status);
  const said = printable(answer.body.toString('utf8'));
  const error = `HTTP ${status}${answer.statusText ? ` ${answer.statusText}` : ''}${said ? `: ${said}` : ''}`;
  return failure(retry, status, error, parseRetryAfter(answer.retryAfter));
}

function failure(retry: boolean, statusCode: number | null, error: string, retryAfterMs: number | null = null): AttemptOutcome {
  return { kind: 'failed', retry, statusCode, error: printable(error), retryAfterMs };
}

/** The receiver's text is shown to the endpoint's owner: no control characters, bounded. */
function printable(text: string): string {
  const clean = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return clean.length > ERROR_TEXT_CHARS ? `${clean.slice(0, ERROR_TEXT_CHARS)}…` : clean;
}

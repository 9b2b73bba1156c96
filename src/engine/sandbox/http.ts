/**
 * The HTTP front of the sandbox: `/__sandbox/*` test knobs (the site's own API key only), and `/api/*` handled the
 * way Frappe's `application()` does (`frappe/app.py`): rate limiter → auth → route, one
 * store transaction per request, JSON responses and error bodies. Faults act at the edge.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { z } from 'zod';
import { authenticate } from './auth.js';
import type { RequestScope } from './documents.js';
import { encodeServerMessages, errorBody, FrappeError, injectedFault, type MessageDict } from './errors.js';
import { FaultPatchError, type RequestMatch } from './faults.js';
import { callMethod } from './methods.js';
import { handleResource } from './resources.js';
import { ADMINISTRATOR } from './permissions.js';
import { isApiPath, parseApiRoute, type ApiRoute } from './routes.js';
import type { Site } from './site.js';

type Headers = Record<string, string>;

/** A JSON object body: what Frappe takes as the form dict, or as a document's fields. */
const JSON_OBJECT = z.record(z.string(), z.unknown());

/** zod as a type guard only: the form dict stays the very object the client sent. */
function isJsonObject(value: unknown): value is Record<string, unknown> {
  return JSON_OBJECT.safeParse(value).success;
}

const KNOBS_NEED_THE_KEY = 'The sandbox knobs need its API key: send Authorization: token <ERPNEXT_API_KEY>:<ERPNEXT_API_SECRET> (npm run sandbox prints them).';

/** werkzeug's own pages, which Frappe returns as-is for unmatched methods and paths. */
const METHOD_NOT_ALLOWED_HTML =
  '<!doctype html>\n<html lang=en>\n<title>405 Method Not Allowed</title>\n<h1>Method Not Allowed</h1>\n<p>The method is not allowed for the requested URL.</p>\n';
const NOT_FOUND_HTML =
  '<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server.</p>\n';

interface PendingDelay {
  timer: NodeJS.Timeout;
  resolve: (completed: boolean) => void;
}

interface ParsedRequest {
  query: Record<string, string>;
  /** Frappe's `form_dict`: the JSON body, or query args + form fields. */
  formDict: Record<string, unknown>;
  rawBody: string;
}

export class SandboxHttpServer {
  readonly server: Server;
  private readonly delays = new Set<PendingDelay>();
  /** Requests left unanswered by the timeoutRate knob, until their socket closes. */
  private readonly held = new Set<IncomingMessage>();
  /** Requests the hold knob matches: each goes on, resolving true, once the knob no longer holds it. */
  private readonly paused = new Map<IncomingMessage, { target: Required<RequestMatch>; resume: (proceed: boolean) => void }>();
  private closed = false;

  constructor(private readonly site: Site) {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        if (!response.headersSent && !response.destroyed) this.sendError(response, asFrappeError(error), [], {});
      });
    });
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        const address = this.server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  }

  private hold(request: IncomingMessage): void {
    this.held.add(request);
    request.socket.once('close', () => this.held.delete(request));
  }

  /** Waits while the hold knob matches the request: true once it no longer does, false if its socket closed first. */
  private pause(request: IncomingMessage, target: Required<RequestMatch>): Promise<boolean> {
    return new Promise((resolve) => {
      const closed = () => resume(false);
      const resume = (proceed: boolean) => {
        if (!this.paused.delete(request)) return;
        request.socket.off('close', closed);
        resolve(proceed);
      };
      this.paused.set(request, { target, resume });
      request.socket.once('close', closed);
    });
  }

  /** Drops every held and paused request's connection without an answer. */
  private dropHeld(): void {
    for (const [request, { resume }] of [...this.paused]) {
      resume(false);
      request.socket.destroy();
    }
    for (const held of this.held) held.socket.destroy();
  }

  /** Lets paused requests the hold knob no longer matches go on, as a resumed server would. */
  private resumeReleased(): void {
    for (const { target, resume } of [...this.paused.values()]) if (!this.site.faults.holds(target)) resume(true);
  }

  /** Stops listening and ends everything still open: keep-alive sockets, held and delayed requests. */
  close(): Promise<void> {
    this.closed = true;
    for (const { resume } of [...this.paused.values()]) resume(false);
    for (const delay of this.delays) {
      clearTimeout(delay.timer);
      delay.resolve(false);
    }
    this.delays.clear();
    const closing = new Promise<void>((resolve) => this.server.close(() => resolve()));
    // Destroys keep-alive sockets and the sockets of held requests alike.
    this.server.closeAllConnections();
    return closing;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://sandbox');
    if (url.pathname.startsWith('/__sandbox/')) return this.handleKnob(request, response, url.pathname);
    if (!isApiPath(url.pathname)) return sendText(response, 404, NOT_FOUND_HTML, 'text/html; charset=utf-8');

    const faults = this.site.faults;
    // An offline site: the connection drops without any response, ping included.
    if (faults.offline) return void request.socket.destroy();
    if (faults.latencyMs > 0 && !(await this.delay(faults.latencyMs))) return;
    // A held request is never answered; the client's timeout, close() or going offline ends its socket.
    if (faults.shouldHold()) return this.hold(request);

    // Frappe's rate limiter is a before_request hook: it runs before authentication.
    const verdict = faults.rateLimit();
    const headers: Headers = verdict?.headers ?? {};
    if (verdict?.rejected) return this.sendError(response, new FrappeError('TooManyRequestsError'), [], headers);

    let parsed: ParsedRequest;
    try {
      parsed = await readRequest(request, url);
    } catch (error) {
      if (request.destroyed) return;
      return this.sendError(response, asFrappeError(error), [], headers);
    }
    const route = parseApiRoute(url.pathname);
    const method = request.method ?? 'GET';
    const target = { doctype: routeDoctype(route, parsed.formDict), method };

    if (faults.holds(target) && !(await this.pause(request, target))) return;
    const failure = faults.takeFailNext(target);
    if (failure) {
      const failureHeaders = failure.status === 429 ? rateLimitedHeaders(failure.retryAfterSeconds ?? 1, headers) : headers;
      return this.sendError(response, injectedFault(failure.status), [], failureHeaders);
    }
    const randomStatus = faults.randomServerError();
    if (randomStatus) return this.sendError(response, injectedFault(randomStatus), [], headers);

    let user: string;
    try {
      user = authenticate(this.site.store, request.headers.authorization);
    } catch (error) {
      return this.sendError(response, asFrappeError(error), [], headers);
    }

    const drop = faults.takeDropAfterCommit(target);
    const scope = this.site.scope(user);
    let result: { status: number; body: Record<string, unknown> } | 'method-not-allowed';
    try {
      result = this.site.store.transaction(() => dispatch(scope, route, method, parsed));
    } catch (error) {
      if (drop) return void request.socket.destroy();
      return this.sendError(response, asFrappeError(error), scope.messages, headers);
    }
    // The transaction is committed; the client never learns it (a lost response).
    if (drop) return void request.socket.destroy();
    if (result === 'method-not-allowed') return sendText(response, 405, METHOD_NOT_ALLOWED_HTML, 'text/html; charset=utf-8');
    if (scope.messages.length > 0) result.body._server_messages = encodeServerMessages(scope.messages);
    sendJson(response, result.status, result.body, headers);
  }

  private async handleKnob(request: IncomingMessage, response: ServerResponse, pathname: string): Promise<void> {
    // The knobs read every document and can break or wipe the site: its Administrator key only.
    if (!this.isAdministrator(request.headers.authorization)) return sendJson(response, 401, { error: KNOBS_NEED_THE_KEY });
    const route = `${request.method ?? 'GET'} ${pathname.replace(/\/$/, '')}`;
    switch (route) {
      case 'GET /__sandbox/faults':
        return sendJson(response, 200, this.site.faults.current());
      case 'POST /__sandbox/faults': {
        try {
          const raw = await readBody(request);
          const faults = this.site.faults.merge(raw ? JSON.parse(raw) : {});
          // A site going offline drops the connections it was holding too, as a stopped server would.
          if (faults.offline) this.dropHeld();
          else this.resumeReleased();
          return sendJson(response, 200, faults);
        } catch (error) {
          if (error instanceof FaultPatchError || error instanceof SyntaxError) {
            return sendJson(response, 400, { error: error.message });
          }
          throw error;
        }
      }
      case 'POST /__sandbox/reset':
        await readBody(request);
        this.dropHeld();
        this.site.reset();
        return sendJson(response, 200, { ok: true });
      case 'GET /__sandbox/state':
        return sendJson(response, 200, this.site.state());
      default:
        return sendJson(response, 404, { error: `no sandbox knob ${route}` });
    }
  }

  private isAdministrator(header: string | undefined): boolean {
    try {
      return authenticate(this.site.store, header) === ADMINISTRATOR;
    } catch {
      return false;
    }
  }

  private sendError(response: ServerResponse, error: FrappeError, messages: MessageDict[], headers: Headers): void {
    const body = errorBody(error, [...messages, ...error.messages], this.site.settings.allowErrorTraceback);
    sendJson(response, error.status, body, headers);
  }

  /** Resolves true after `ms`, or false when the server closes first. */
  private delay(ms: number): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const pending: PendingDelay = {
        timer: setTimeout(() => {
          this.delays.delete(pending);
          resolve(true);
        }, ms),
        resolve,
      };
      this.delays.add(pending);
    });
  }
}

function dispatch(
  scope: RequestScope,
  route: ApiRoute,
  method: string,
  request: ParsedRequest,
): { status: number; body: Record<string, unknown> } | 'method-not-allowed' {
  if (route.kind === 'unmatched') throw new FrappeError('DoesNotExistError');
  if (route.kind === 'method') {
    const message = callMethod(scope, route.method, request.formDict);
    return { status: 200, body: message === undefined || message === null ? {} : { message } };
  }
  const body = method === 'POST' || method === 'PUT' ? requestData(request) : {};
  const result = handleResource(scope, { method, doctype: route.doctype, name: route.name, query: request.query, body });
  return result === 'method-not-allowed' ? result : { status: result.status, body: { data: result.data } };
}

/** The doctype a request is about, for matching one-shot faults. */
function routeDoctype(route: ApiRoute, formDict: Record<string, unknown>): string {
  if (route.kind === 'resource') return route.doctype;
  return typeof formDict.doctype === 'string' ? formDict.doctype : '';
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** `make_form_dict`: a JSON body is the form dict; otherwise query args and form fields. */
async function readRequest(request: IncomingMessage, url: URL): Promise<ParsedRequest> {
  const rawBody = await readBody(request);
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) if (!(key in query)) query[key] = value;
  const contentType = request.headers['content-type'] ?? '';
  if (rawBody && contentType.includes('application/json')) {
    const body = parseJson(rawBody);
    // A JSON array or scalar is no dict: Frappe keeps it as `data`.
    const formDict = isJsonObject(body) ? body : { data: body };
    return { query, formDict, rawBody };
  }
  const formDict: Record<string, unknown> = { ...query };
  if (rawBody && contentType.includes('application/x-www-form-urlencoded')) {
    for (const [key, value] of new URLSearchParams(rawBody)) formDict[key] = value;
  }
  return { query, formDict, rawBody };
}

/** `get_request_form_data`: `form_dict.data` when present, else the raw body, as JSON; the form dict when that is not JSON. */
function requestData(request: ParsedRequest): Record<string, unknown> {
  const data = request.formDict.data ?? request.rawBody;
  let parsed: unknown = data;
  if (typeof data === 'string') {
    try {
      parsed = JSON.parse(data);
    } catch {
      return request.formDict;
    }
  }
  if (!isJsonObject(parsed)) throw new FrappeError('Exception', { exceptionText: "AttributeError: 'list' object has no attribute 'pop'" });
  return parsed;
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw new FrappeError('JSONDecodeError', { exceptionText: (error as Error).message });
  }
}

/** Headers of a 429: `Retry-After` plus the `X-RateLimit-*` family. */
function rateLimitedHeaders(retryAfterSeconds: number, headers: Headers): Headers {
  return {
    ...headers,
    'Retry-After': String(retryAfterSeconds),
    'X-RateLimit-Reset': String(retryAfterSeconds),
    'X-RateLimit-Limit': headers['X-RateLimit-Limit'] ?? '0',
    'X-RateLimit-Remaining': '0',
  };
}

function asFrappeError(error: unknown): FrappeError {
  if (error instanceof FrappeError) return error;
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new FrappeError('Exception', { exceptionText: message });
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Headers = {}): void {
  sendText(response, status, JSON.stringify(body), 'application/json', headers);
}

function sendText(response: ServerResponse, status: number, body: string, contentType: string, headers: Headers = {}): void {
  if (response.destroyed) return;
  response.writeHead(status, { ...headers, 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
  response.end(body);
}

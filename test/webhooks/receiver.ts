import { EventEmitter, once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  path: string;
  headers: Record<string, string>;
  body: string;
  /** When it arrived (this process's clock). */
  at: number;
  /** What the receiver answered, or null when the connection went away first. */
  status: number | null;
}

export interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** How long to hold the answer back. */
  delayMs?: number;
}

/** Decides the answer to a request from what this path received so far (itself included). */
export type Behaviour = (request: ReceivedWebhook, earlier: ReceivedWebhook[]) => Answer;

/**
 * A webhook receiver on a free loopback port, as a customer would run one: it records every
 * request it gets (headers, raw body, time) and answers as the test's behaviour for that path
 * says (200 by default). Tests wait on what it received, never on time.
 */
export class Receiver {
  readonly received: ReceivedWebhook[] = [];
  /** TCP connections accepted, whether or not an HTTP request came over them. */
  connections = 0;
  private readonly behaviours = new Map<string, Behaviour>();
  private readonly events = new EventEmitter();
  private server: Server | null = null;
  private port = 0;

  async start(): Promise<void> {
    this.server = createServer((request, response) => void this.handle(request, response));
    this.server.on('connection', () => (this.connections += 1));
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.port = (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  /** A URL of this receiver whose requests are answered by `behaviour`. */
  url(path: string, behaviour: Behaviour = () => ({ status: 200 })): string {
    this.behaviours.set(path, behaviour);
    return `http://127.0.0.1:${this.port}${path}`;
  }

  at(path: string): ReceivedWebhook[] {
    return this.received.filter((request) => request.path === path);
  }

  /** Requests in flight: received, not answered yet. */
  get pending(): number {
    return this.received.filter((request) => request.status === null).length;
  }

  /** Resolves once `condition` holds (checked now and after every request); fails after `timeoutMs` naming `what`. */
  async waitFor(what: string, condition: () => boolean, timeoutMs = 20_000): Promise<void> {
    if (condition()) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.events.off('request', check);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for the receiver to get ${what} (it got ${this.received.length} requests)`));
      }, timeoutMs);
      const check = () => {
        if (!condition()) return;
        clearTimeout(timer);
        this.events.off('request', check);
        resolve();
      };
      this.events.on('request', check);
    });
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const path = request.url ?? '/';
    const received: ReceivedWebhook = {
      path,
      headers: Object.fromEntries(Object.entries(request.headers).map(([key, value]) => [key, String(value)])),
      body: Buffer.concat(chunks).toString('utf8'),
      at: Date.now(),
      status: null,
    };
    this.received.push(received);
    const behaviour: Behaviour = this.behaviours.get(path) ?? (() => ({ status: 404 }));
    const answer = behaviour(received, this.at(path));
    this.events.emit('request');
    // Unref'd: an answer still held when the test ends must not keep Jest waiting for it.
    if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs).unref());
    if (response.destroyed) return;
    response.writeHead(answer.status, answer.headers).end(answer.body ?? '');
    received.status = answer.status;
    this.events.emit('request');
  }
}

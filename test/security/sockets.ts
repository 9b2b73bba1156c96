import WebSocket from 'ws';

/** How the server ended a WebSocket, as the client saw it. */
export interface Closed {
  code: number;
  reason: string;
}

/**
 * A graphql-transport-ws socket driven by hand, for what the graphql-ws client hides: exact
 * close codes, messages out of protocol order, raw payloads.
 */
export interface RawSocket {
  send(message: object | string): void;
  /** The next message from the server; rejects if the socket closes first. */
  next(): Promise<Record<string, unknown>>;
  closed: Promise<Closed>;
  close(): void;
  /** Stops reading from the socket (the server's writes back up), and starts again. */
  pause(): void;
  resume(): void;
}

export async function openRawSocket(url: string): Promise<RawSocket> {
  const socket = new WebSocket(url, 'graphql-transport-ws');
  const queued: Array<Record<string, unknown>> = [];
  const waiting: Array<(message: Record<string, unknown>) => void> = [];
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as Record<string, unknown>;
    const waiter = waiting.shift();
    if (waiter) waiter(message);
    else queued.push(message);
  });
  const closed = new Promise<Closed>((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  // A protocol error (e.g. a frame over the size limit) is followed by 'close', which tests await.
  socket.on('error', () => undefined);
  return {
    send: (message) => socket.send(typeof message === 'string' ? message : JSON.stringify(message)),
    next: () => {
      const message = queued.shift();
      if (message) return Promise.resolve(message);
      return Promise.race([
        new Promise<Record<string, unknown>>((resolve) => waiting.push(resolve)),
        closed.then(({ code, reason }) => Promise.reject(new Error(`socket closed (${code} ${reason}) before the next message`))),
      ]);
    },
    closed,
    close: () => socket.close(1000),
    pause: () => socket.pause(),
    resume: () => socket.resume(),
  };
}

/** A socket past connection_init: acknowledged, or closed by the server (then `closed` says how). */
export async function initSocket(url: string, payload: Record<string, unknown>): Promise<RawSocket & { acked: boolean }> {
  const socket = await openRawSocket(url);
  socket.send({ type: 'connection_init', payload });
  const acked = await socket.next().then(
    (message) => message.type === 'connection_ack',
    () => false,
  );
  return { ...socket, acked };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { ProvisioningApiError, subscribeProvisioningEvents } from '../../client/src/index.js';

/** Closes that end the subscription at once, with the error code a caller sees. */
const FINAL: Array<[number, string]> = [
  [4400, 'BAD_REQUEST'],
  [4401, 'UNAUTHENTICATED'],
  [4403, 'FORBIDDEN'],
  [4406, 'BAD_REQUEST'],
  [4409, 'CONFLICT'],
  [4429, 'RATE_LIMITED'],
  [4500, 'INTERNAL_SERVER_ERROR'],
  [1009, 'BAD_REQUEST'],
  [1011, 'INTERNAL_SERVER_ERROR'],
];

/** Closes after which the SDK connects again (1006: the connection dropped without a close frame). */
const RECONNECTING = [4408, 4499, 1001, 1006, 1012, 1013];

/** Codes the SDK does not know: graphql-ws gives up at once on most 1xxx ones, and retries the rest. */
const UNKNOWN_FINAL = 1008;
const UNKNOWN_RETRIED = 4600;

const ATTEMPTS = 2;

/**
 * The SDK's answer to each WebSocket close code. The service itself sends only some of them
 * (4401, 1001, 1009), so a plain WebSocket server stands in for the others: it closes every
 * connection with the code named in its URL once the client has sent connection_init.
 */
describe('the SDK on a closed subscription socket', () => {
  let server: WebSocketServer;
  const connectionsByCode = new Map<string, number>();

  beforeAll(async () => {
    server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    server.on('connection', (socket, request) => {
      const { searchParams } = new URL(request.url!, 'ws://localhost');
      const run = searchParams.get('run')!;
      const code = Number(searchParams.get('close'));
      connectionsByCode.set(run, (connectionsByCode.get(run) ?? 0) + 1);
      socket.once('message', () => (code === 1006 ? socket.terminate() : socket.close(code, `closed with ${code}`)));
    });
    await new Promise((resolve) => server.once('listening', resolve));
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  async function subscribeUntilFailure(code: number) {
    const run = randomUUID();
    const { port } = server.address() as AddressInfo;
    const events = subscribeProvisioningEvents({
      url: `http://127.0.0.1:${port}/graphql?close=${code}&run=${run}`,
      tenantId: randomUUID(),
      after: 0,
      webSocketImpl: WebSocket,
      reconnect: { attempts: ATTEMPTS, initialDelayMs: 1, maxDelayMs: 1 },
    });
    const failure = await events.next().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ProvisioningApiError);
    return { error: failure as ProvisioningApiError, connections: connectionsByCode.get(run) };
  }

  it.each(FINAL)('ends at once on %i with %s', async (code, errorCode) => {
    const { error, connections } = await subscribeUntilFailure(code);
    expect({ code: error.code, connections }).toEqual({ code: errorCode, connections: 1 });
    expect(error.message).toContain(`closed with ${code}`);
  });

  it(`ends at once on an unknown code graphql-ws does not retry (${UNKNOWN_FINAL}) with DISCONNECTED`, async () => {
    const { error, connections } = await subscribeUntilFailure(UNKNOWN_FINAL);
    expect({ code: error.code, connections, message: error.message }).toEqual({
      code: 'DISCONNECTED',
      connections: 1,
      message: `The server closed the subscription (${UNKNOWN_FINAL}: closed with ${UNKNOWN_FINAL}).`,
    });
  });

  it.each(RECONNECTING)('reconnects after %i, and ends with DISCONNECTED once the attempts are used up', async (code) => {
    const { error, connections } = await subscribeUntilFailure(code);
    expect({ code: error.code, connections }).toEqual({ code: 'DISCONNECTED', connections: ATTEMPTS + 1 });
    expect(error.message).toContain(`failed ${ATTEMPTS} times in a row`);
  });

  it(`reconnects after an unknown code graphql-ws retries (${UNKNOWN_RETRIED}), and ends with DISCONNECTED once the attempts are used up`, async () => {
    const { error, connections } = await subscribeUntilFailure(UNKNOWN_RETRIED);
    expect({ code: error.code, connections }).toEqual({ code: 'DISCONNECTED', connections: ATTEMPTS + 1 });
  });
});

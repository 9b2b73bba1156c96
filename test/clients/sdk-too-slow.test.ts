import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { subscribeProvisioningEvents } from '../../client/src/index.js';

const event = (tenantId: string, seq: number) => ({
  provisioningEvents: { seq, tenantId, runId: null, type: seq === 2 ? 'RUN_COMPLETED' : 'STEP_STARTED', step: null, message: `event ${seq}`, at: new Date().toISOString(), provisioning: null },
});

/**
 * When the service ends a subscription with SUBSCRIBER_TOO_SLOW (the socket fell behind), the SDK
 * subscribes again from the last seq it handed out, and its consumer sees no error and no gap.
 * A plain WebSocket server plays the service, so the cut comes exactly where the test wants it.
 */
describe('the SDK on a subscription ended as too slow', () => {
  let server: WebSocketServer;
  const subscribes: Array<Record<string, unknown>> = [];

  beforeAll(async () => {
    server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    server.on('connection', (socket) => {
      socket.on('message', (data) => {
        const message = JSON.parse(String(data)) as { id?: string; type: string; payload?: { variables: Record<string, unknown> } };
        if (message.type === 'connection_init') return socket.send(JSON.stringify({ type: 'connection_ack' }));
        if (message.type !== 'subscribe') return;
        const variables = message.payload!.variables;
        subscribes.push(variables);
        const tenantId = variables.tenantId as string;
        if (subscribes.length === 1) {
          socket.send(JSON.stringify({ id: message.id, type: 'next', payload: { data: event(tenantId, 1) } }));
          socket.send(JSON.stringify({ id: message.id, type: 'error', payload: [{ message: 'fell behind', extensions: { code: 'SUBSCRIBER_TOO_SLOW' } }] }));
        } else {
          socket.send(JSON.stringify({ id: message.id, type: 'next', payload: { data: event(tenantId, 2) } }));
          socket.send(JSON.stringify({ id: message.id, type: 'complete' }));
        }
      });
    });
    await new Promise((resolve) => server.once('listening', resolve));
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('subscribes again from the last seq it handed out, and the consumer sees every event once, without an error', async () => {
    const { port } = server.address() as AddressInfo;
    const tenantId = randomUUID();
    const seqs: number[] = [];
    for await (const received of subscribeProvisioningEvents({ url: `http://127.0.0.1:${port}/graphql`, tenantId, after: 0, webSocketImpl: WebSocket })) {
      seqs.push(received.seq);
      if (received.type === 'RUN_COMPLETED') break;
    }
    expect(seqs).toEqual([1, 2]);
    // Again from the last seq handed out (what was received but not yet read is dropped as a repeat).
    expect(subscribes).toHaveLength(2);
    expect(subscribes[1]!.after).toBeLessThanOrEqual(1);
  });
});

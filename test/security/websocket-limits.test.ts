import { describe, expect, it, jest } from '@jest/globals';
import { CLOSE_TRY_AGAIN_LATER } from '../../src/server/ws/ws-server.js';
import { OperationBudget } from '../../src/server/ws/operation-budget.js';
import { createTenant } from '../support/api.js';
import { serviceForSuite } from '../support/service.js';
import { bearer, initSocket, openRawSocket, type RawSocket } from './sockets.js';

const PER_CLIENT = 6;
const PENDING = 3;
const OPERATIONS = 3;
const EVENTS = `subscription ($id: ID!) { provisioningEvents(tenantId: $id) { type } }`;

type Message = { id?: string; type: string; payload?: unknown };

/** Every socket a test opened, closed at its end so the next test starts from none. */
async function closeAll(sockets: RawSocket[]) {
  for (const socket of sockets.splice(0)) {
    socket.close();
    await socket.closed;
  }
}

describe('WebSocket limits', () => {
  const suite = serviceForSuite({
    WS_MAX_SOCKETS_PER_CLIENT: String(PER_CLIENT),
    WS_MAX_PENDING_SOCKETS: String(PENDING),
    WS_MAX_OPERATIONS_PER_SOCKET: String(OPERATIONS),
  });
  const sockets: RawSocket[] = [];

  it(`closes a socket past ${PER_CLIENT} from one address with 1013 and a reason`, async () => {
    for (let i = 0; i < PER_CLIENT; i++) {
      const socket = await initSocket(suite.service.wsUrl, bearer(suite.token));
      expect(socket.acked).toBe(true);
      sockets.push(socket);
    }
    const refused = await openRawSocket(suite.service.wsUrl);
    expect(await refused.closed).toEqual({ code: CLOSE_TRY_AGAIN_LATER, reason: `Too many connections from your address (limit ${PER_CLIENT}): close some, then retry` });
    await closeAll(sockets);
    // Closed sockets free their places.
    const again = await initSocket(suite.service.wsUrl, bearer(suite.token));
    expect(again.acked).toBe(true);
    sockets.push(again);
    await closeAll(sockets);
  });

  it(`closes a socket past ${PENDING} waiting for connection_init with 1013`, async () => {
    for (let i = 0; i < PENDING; i++) sockets.push(await openRawSocket(suite.service.wsUrl));
    const refused = await openRawSocket(suite.service.wsUrl);
    expect(await refused.closed).toEqual({ code: CLOSE_TRY_AGAIN_LATER, reason: 'Too many connections waiting to initialise: retry shortly' });
    // Once one initialises, it no longer counts as waiting.
    sockets[0]!.send({ type: 'connection_init', payload: bearer(suite.token) });
    expect(await sockets[0]!.next()).toEqual({ type: 'connection_ack' });
    const next = await initSocket(suite.service.wsUrl, bearer(suite.token));
    expect(next.acked).toBe(true);
    sockets.push(next);
    await closeAll(sockets);
  });

  it(`refuses a subscription past ${OPERATIONS} live ones on a socket with RATE_LIMITED, keeping the socket`, async () => {
    const tenant = await createTenant(suite.service.graphqlUrl, suite.token);
    const socket = await initSocket(suite.service.wsUrl, bearer(suite.token));
    sockets.push(socket);
    const subscribe = (id: string) => socket.send({ id, type: 'subscribe', payload: { query: EVENTS, variables: { id: tenant.id } } });
    for (let i = 0; i < OPERATIONS; i++) {
      subscribe(`live-${i}`);
      expect(await socket.next()).toMatchObject({ id: `live-${i}`, type: 'next' });
    }
    subscribe('one-too-many');
    const refused = (await socket.next()) as Message;
    expect(refused).toMatchObject({ id: 'one-too-many', type: 'error', payload: [{ extensions: { code: 'RATE_LIMITED' } }] });
    expect((refused.payload as Array<{ message: string }>)[0]!.message).toMatch(new RegExp(`limit ${OPERATIONS}\\): complete some first`));

    socket.send({ id: 'live-0', type: 'complete' });
    subscribe('room-again');
    expect(await socket.next()).toMatchObject({ id: 'room-again', type: 'next' });
    await closeAll(sockets);
  });

  it('refuses an operation that would take the socket past its cost budget', () => {
    const budget = new OperationBudget(10, 100);
    expect(budget.reserve('a', 60)).toBeNull();
    expect(budget.reserve('b', 50)?.extensions.code).toBe('RATE_LIMITED');
    budget.release('a');
    expect(budget.reserve('b', 50)).toBeNull();
  });

  it('closes a socket sending over 100 KB with 1009, logging one JSON line at warn and nothing to stderr', async () => {
    const consoleError = jest.spyOn(console, 'error');
    try {
      const socket = await initSocket(suite.service.wsUrl, bearer(suite.token));
      socket.send({ id: 'big', type: 'subscribe', payload: { query: `{ me { id } } # ${'x'.repeat(200_000)}` } });
      expect((await socket.closed).code).toBe(1009);
      const line = suite.service.logLines.find((entry) => entry.msg === 'WebSocket protocol error: the socket was closed');
      expect(line).toMatchObject({ level: 40, error: 'Max payload size exceeded', code: 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' });
      expect(consoleError).not.toHaveBeenCalled();
    } finally {
      consoleError.mockRestore();
    }
  });
});

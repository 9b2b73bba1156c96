import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTenant, loginAs } from '../support/api.js';
import { errorCode, graphql } from '../support/graphql.js';
import { startTestService, type TestService } from '../support/service.js';
import { bearer, initSocket } from './sockets.js';

describe('a token that expires while subscribed', () => {
  let service: TestService;

  // Tokens live 2-3 s (expiry is stored in whole seconds): long enough to subscribe, short
  // enough to watch one run out. The test waits for the close event, never for a clock.
  beforeAll(async () => {
    service = await startTestService({ JWT_TTL_SECONDS: '3' });
  });
  afterAll(() => service.stop());

  it('ends the subscription by closing the socket with 4401, and the token is refused on HTTP afterwards', async () => {
    const tenant = await createTenant(service.graphqlUrl, await loginAs(service.graphqlUrl));
    const token = await loginAs(service.graphqlUrl);

    const socket = await initSocket(service.wsUrl, bearer(token));
    expect(socket.acked).toBe(true);
    socket.send({ id: 'events', type: 'subscribe', payload: { query: `subscription ($id: ID!) { provisioningEvents(tenantId: $id) { type } }`, variables: { id: tenant.id } } });
    expect(await socket.next()).toEqual({ id: 'events', type: 'next', payload: { data: { provisioningEvents: { type: 'SNAPSHOT' } } } });

    const closed = await socket.closed;
    expect(closed).toEqual({ code: 4401, reason: 'Token expired: sign in again' });

    const afterwards = await graphql(service.graphqlUrl, `{ me { id } }`, {}, token);
    expect(errorCode(afterwards)).toBe('UNAUTHENTICATED');
    expect(afterwards.errors![0]!.message).toMatch(/expired/);
  });
});

import { describe, expect, it } from '@jest/globals';
import { isDatabaseUnavailable } from '../../src/lib/errors.js';
import { tenantInput } from '../support/api.js';
import { errorCode, graphql, graphqlOk } from '../support/graphql.js';
import { serviceForSuite } from '../support/service.js';
import { bearer, initSocket } from './sockets.js';

const LOGIN = `mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { token } }`;
const CREATE = `mutation ($input: CreateTenantInput!) { createTenant(input: $input) { id description } }`;
const SKIP = `mutation ($id: ID!, $reason: String) { skipStep(tenantId: $id, step: DEMO_ITEMS, reason: $reason) { status } }`;

describe('control characters in string input', () => {
  const suite = serviceForSuite();

  it.each([
    ['a NUL in the login email', LOGIN, () => ({ email: 'admin\u0000@platform.test', password: 'x' }), 'email'],
    ['a NUL in the login password', LOGIN, () => ({ email: 'admin@platform.test', password: 'pass\u0000word' }), 'password'],
    ['a NUL in a tenant name', CREATE, () => ({ input: tenantInput({ name: 'Evil\u0000Corp' }) }), 'input.name'],
    ['an escape in an admin name', CREATE, () => ({ input: tenantInput({ adminName: 'Eve \u001b[31m' }) }), 'input.adminName'],
    ['a backspace deep in a nested input', CREATE, () => ({ input: tenantInput({ autoStart: true, provisioning: { countryTemplate: 'Standard\u0008' } }) }), 'input.provisioning.countryTemplate'],
    ['a DEL in a skip reason', SKIP, () => ({ id: '3f2b8c1e-9a4d-4e7f-8b1a-2c3d4e5f6a7b', reason: 'why\u007f' }), 'reason'],
  ])('refuses %s with BAD_USER_INPUT naming the field', async (_name, query, variables, field) => {
    const result = await graphql(suite.service.graphqlUrl, query, variables(), suite.token);
    expect({ code: errorCode(result), field: result.errors?.[0]?.extensions?.field }).toEqual({ code: 'BAD_USER_INPUT', field });
    expect(result.errors![0]!.message).toMatch(/control characters/);
  });

  it('refuses them over the WebSocket too', async () => {
    const socket = await initSocket(suite.service.wsUrl, bearer(suite.token));
    socket.send({ id: 'nul', type: 'subscribe', payload: { query: CREATE, variables: { input: tenantInput({ name: 'Evil\u0000Corp' }) } } });
    const answer = await socket.next();
    expect(answer).toMatchObject({ id: 'nul', type: 'next', payload: { errors: [{ extensions: { code: 'BAD_USER_INPUT', field: 'input.name' } }] } });
    socket.close();
  });

  it('keeps tabs and line breaks in free text', async () => {
    const { createTenant } = await graphqlOk<{ createTenant: { description: string } }>(
      suite.service.graphqlUrl,
      CREATE,
      { input: tenantInput({ description: 'Line one\r\nLine two\tindented' }) },
      suite.token,
    );
    expect(createTenant.description).toBe('Line one\r\nLine two\tindented');
  });

  it('does not read a protocol violation (a NUL PostgreSQL refused) as the database being down', () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('invalid message format'), { code: '08P01' }))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' }))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error('connection failure'), { code: '08006' }))).toBe(true);
  });
});

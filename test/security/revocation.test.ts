import { describe, expect, it } from '@jest/globals';
import { createTenant, loginAs } from '../support/api.js';
import { errorCode, graphql, graphqlOk } from '../support/graphql.js';
import { serviceForSuite } from '../support/service.js';
import { bearer, initSocket } from './sockets.js';

const CHANGE = `mutation ($current: String!, $next: String!) { changePassword(currentPassword: $current, newPassword: $next) { token user { email } } }`;
const ME = `{ me { id email } }`;
const EVENTS = `subscription ($id: ID!) { provisioningEvents(tenantId: $id) { type } }`;

describe('revocation: a token stops working when its password changes or its user is removed', () => {
  const suite = serviceForSuite();
  const url = () => suite.service.graphqlUrl;

  /** A fresh tenant admin: its password, and a token from signing in with it. */
  async function tenantAdmin() {
    const tenant = await createTenant(url(), suite.token);
    const token = await loginAs(url(), tenant.input.adminEmail, tenant.input.adminPassword);
    return { tenant, token };
  }

  it('refuses the old token after changePassword, on HTTP, and serves the token it returned', async () => {
    const { tenant, token } = await tenantAdmin();
    await graphqlOk(url(), ME, {}, token);
    const { changePassword } = await graphqlOk<{ changePassword: { token: string } }>(url(), CHANGE, { current: tenant.input.adminPassword, next: 'a-brand-new-password' }, token);

    const old = await graphql(url(), ME, {}, token);
    expect(errorCode(old)).toBe('UNAUTHENTICATED');
    expect(old.errors![0]!.message).toMatch(/revoked .*sign in again/);
    expect((await graphqlOk<{ me: { email: string } }>(url(), ME, {}, changePassword.token)).me.email).toBe(tenant.input.adminEmail);
    // The new password signs in, the old one no longer does.
    await expect(loginAs(url(), tenant.input.adminEmail, 'a-brand-new-password')).resolves.toMatch(/^eyJ/);
    expect(errorCode(await graphql(url(), `mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`, { e: tenant.input.adminEmail, p: tenant.input.adminPassword }))).toBe('UNAUTHENTICATED');
  });

  it('closes a socket of the old token with 4401 at its next message, ending its subscription', async () => {
    const { tenant, token } = await tenantAdmin();
    const socket = await initSocket(suite.service.wsUrl, bearer(token));
    expect(socket.acked).toBe(true);
    socket.send({ id: 'live', type: 'subscribe', payload: { query: EVENTS, variables: { id: tenant.id } } });
    expect(await socket.next()).toMatchObject({ id: 'live', type: 'next' });

    await graphqlOk(url(), CHANGE, { current: tenant.input.adminPassword, next: 'another-new-password' }, token);
    socket.send({ id: 'after', type: 'subscribe', payload: { query: '{ provisioningPlan { key } }' } });
    expect(await socket.closed).toEqual({ code: 4401, reason: 'Token revoked: sign in again' });
  });

  it('refuses a token, on HTTP and at connection_init, once its user is removed', async () => {
    const { tenant, token } = await tenantAdmin();
    await suite.service.database.orm.em.fork().getConnection().execute('DELETE FROM app_user WHERE lower(email) = lower(?)', [tenant.input.adminEmail]);

    expect(errorCode(await graphql(url(), ME, {}, token))).toBe('UNAUTHENTICATED');
    const socket = await initSocket(suite.service.wsUrl, bearer(token));
    expect(socket.acked).toBe(false);
    expect((await socket.closed).code).toBe(4401);
  });

  it('says which field is wrong: the current password, or a new one that is too short', async () => {
    const { tenant, token } = await tenantAdmin();
    const wrong = await graphql(url(), CHANGE, { current: 'not-the-password', next: 'a-good-new-password' }, token);
    expect({ code: errorCode(wrong), field: wrong.errors![0]!.extensions!.field }).toEqual({ code: 'BAD_USER_INPUT', field: 'currentPassword' });
    const short = await graphql(url(), CHANGE, { current: tenant.input.adminPassword, next: 'short' }, token);
    expect({ code: errorCode(short), field: short.errors![0]!.extensions!.field }).toEqual({ code: 'BAD_USER_INPUT', field: 'newPassword' });
    // Neither changed anything: the token still works.
    await graphqlOk(url(), ME, {}, token);
  });
});

// Not a README snippet: runs each snippet against a live service and prints what each saw as
// one JSON line. test/clients/packed-package.test.ts runs it in a fresh project that installed
// the packed SDK. Usage: node dist/run-examples.js <graphql url> <admin email> <admin password>
import { createProvisioningClient, type ProvisioningEvent } from '@tenant-provisioning/client';
import * as apollo from './apollo-client.js';
import * as graphqlRequest from './graphql-request.js';
import { provisionWorkspace } from './sdk.js';
import * as urql from './urql.js';

const [url = '', email = '', password = ''] = process.argv.slice(2);
const sdkRun = await provisionWorkspace(url, email, password);

// A second workspace, followed by the three stock clients at once while it provisions.
const { token } = await createProvisioningClient({ url }).login(email, password);
const tenant = await createProvisioningClient({ url, token }).createTenant({
  name: 'Duka la Jirani', countryCode: 'KE', adminName: 'Juma Otieno',
  adminEmail: 'owner@dukalajirani.test', adminPassword: 'another-long-password', autoStart: true,
});
const apolloClient = apollo.createApolloClient(url, token);
const urqlClient = urql.createUrqlClient(url, token);
const [apolloRun, urqlRun, graphqlRequestRun] = await Promise.all([
  apollo.followRun(apolloClient, tenant.id),
  urql.followRun(urqlClient, tenant.id),
  graphqlRequest.followRun(url, token, tenant.id),
]);

const seqAndType = (events: ProvisioningEvent[]) => events.map((event) => `${event.seq} ${event.type}`);
console.log(
  JSON.stringify({
    sdk: seqAndType(sdkRun),
    runs: { apollo: seqAndType(apolloRun), urql: seqAndType(urqlRun), graphqlRequest: seqAndType(graphqlRequestRun) },
    workspaces: {
      apollo: await apollo.workspaceNames(apolloClient),
      urql: await urql.workspaceNames(urqlClient),
      graphqlRequest: await graphqlRequest.workspaceNames(url, token),
    },
  }),
);

import './monaco-workers.js';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import 'graphiql/style.css';
import { buildSchema } from 'graphql';
import { createRoot } from 'react-dom/client';
import schemaSource from '../../../../schema.graphql';
import { TOKEN_STORAGE_KEY } from '../token-storage.js';

// The committed schema (a test keeps it equal to the code's) is bundled in, so GraphiQL does not
// send its introspection query: that query nests deeper than the service's depth limit allows.
const schema = buildSchema(schemaSource);

const graphqlUrl = new URL('/graphql', window.location.href).toString();

// Subscriptions go over graphql-ws on the same path; the header editor's values become the
// connection_init payload, so `Authorization` authenticates the socket as it does HTTP.
const fetcher = createGraphiQLFetcher({
  url: graphqlUrl,
  subscriptionUrl: graphqlUrl.replace(/^http/, 'ws'),
  enableIncrementalDelivery: false,
});

const DEFAULT_QUERY = `# Sign in: run this, then put the token in Headers below as
# { "Authorization": "Bearer <token>" } (the provisioning page at / does it for you).
mutation Login {
  login(email: "admin@localhost", password: "") { token }
}

subscription Activity {
  provisioningActivity { seq tenantId type step message provisioning { status progress } }
}
`;

// ?query=, ?variables= and ?headers= open GraphiQL on a given operation (links, tests).
const params = new URLSearchParams(window.location.search);
const savedToken = window.localStorage.getItem(TOKEN_STORAGE_KEY);
const headers = params.get('headers') ?? (savedToken ? JSON.stringify({ Authorization: `Bearer ${savedToken}` }, null, 2) : undefined);

createRoot(document.getElementById('graphiql')!).render(
  <GraphiQL
    fetcher={fetcher}
    schema={schema}
    defaultQuery={DEFAULT_QUERY}
    initialQuery={params.get('query') ?? undefined}
    initialVariables={params.get('variables') ?? undefined}
    initialHeaders={headers}
    defaultEditorToolsVisibility={headers ? 'headers' : undefined}
  />,
);

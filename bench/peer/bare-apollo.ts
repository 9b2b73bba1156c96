import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { buildSchema } from 'graphql';

/**
 * The ceiling of the stack: Apollo Server 5 on express 5, as the service mounts it, with a schema
 * of one field and nothing else (no auth, no limits, no database). `{ __typename }` against it is
 * the fastest any GraphQL request of ours could be on this machine.
 */
const apollo = new ApolloServer({ schema: buildSchema('type Query { ok: Boolean }') });
await apollo.start();
const app = express();
app.use('/graphql', express.json(), expressMiddleware(apollo));
const server = app.listen(Number(process.env.PORT), '127.0.0.1');
process.once('SIGTERM', () => void apollo.stop().then(() => server.close()));

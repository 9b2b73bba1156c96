import { GraphQLEnumType, type GraphQLSchema } from 'graphql';
import { buildSchema, type NonEmptyArray, type PubSub } from 'type-graphql';
import { StepKey } from '../../provisioning/model.js';
import { refuseControlCharacters } from './refuse-control-characters.js';
import { requireAuthentication } from './require-auth.js';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export type ResolverClass = Function;

/**
 * type-graphql insists on a PubSub when the schema has subscriptions, even though ours supply
 * their own `subscribe` (fed by PostgreSQL LISTEN/NOTIFY); this one refuses to be used.
 */
const NO_PUBSUB: PubSub = {
  publish() {
    throw new Error('Subscriptions are fed by the provisioning event hub, not by a PubSub.');
  },
  subscribe() {
    throw new Error('Subscriptions are fed by the provisioning event hub, not by a PubSub.');
  },
};

/**
 * Builds the executable schema from resolver classes. `instances` holds the constructed
 * resolvers (their dependencies injected by the composition root); with none given, classes
 * are instantiated without arguments, which is enough to print the schema.
 */
export async function buildAppSchema(resolvers: NonEmptyArray<ResolverClass>, instances: object[] = []): Promise<GraphQLSchema> {
  const byClass = new Map(instances.map((instance) => [instance.constructor, instance]));
  const schema = await buildSchema({
    resolvers: resolvers as NonEmptyArray<ResolverClass> as never,
    container: { get: (someClass: new () => object) => byClass.get(someClass) ?? new someClass() },
    globalMiddlewares: [requireAuthentication, refuseControlCharacters],
    pubSub: NO_PUBSUB,
    validate: false,
    emitSchemaFile: false,
  });
  showUnknownStepKeys(schema);
  return schema;
}

/**
 * Runs and their events keep the step keys they were written with. A key this version does not
 * know (written by a newer version before a rollback) is sent as UNKNOWN, where graphql-js would
 * fail the whole field: the run stays readable, and executing it fails it with INVALID_STATE.
 */
function showUnknownStepKeys(schema: GraphQLSchema): void {
  const stepKey = schema.getType('StepKey');
  if (!(stepKey instanceof GraphQLEnumType)) return;
  const serialize = stepKey.serialize.bind(stepKey);
  stepKey.serialize = (value: unknown) => serialize(stepKey.getValue(String(value)) ? value : StepKey.UNKNOWN);
}

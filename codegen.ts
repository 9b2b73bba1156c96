import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * The client SDK's types and typed documents, from the committed schema and the operations in
 * client/operations. `npm run codegen` writes client/generated/; a test fails when it is stale.
 */
const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: 'client/operations/*.graphql',
  generates: {
    'client/generated/graphql.ts': {
      // typescript-operations 6 emits the enums and inputs it uses itself; the `typescript` plugin would duplicate them.
      plugins: ['typescript-operations', 'typed-document-node'],
      config: {
        // String unions, not TypeScript enums: no runtime code, and plain strings type-check.
        enumsAsTypes: true,
        useTypeImports: true,
        // The package's own copy of the type, so its .d.ts files need no fourth dependency.
        documentNodeImport: '../src/typed-document-node.js#TypedDocumentNode',
        strictScalars: true,
        scalars: {
          DateTime: 'string',
          JSONObject: 'Record<string, unknown>',
        },
        // `null` in responses stays `null`; optional only where the variable may be left out.
        avoidOptionals: { field: true, inputValue: false, object: true, defaultValue: false },
      },
    },
  },
};

export default config;

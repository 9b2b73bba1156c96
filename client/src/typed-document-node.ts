import type { DocumentNode } from 'graphql';

/**
 * The shape of `TypedDocumentNode` from @graphql-typed-document-node/core, declared here so the
 * package's types need nothing beyond graphql: Apollo Client, urql and graphql-request infer
 * result and variable types from `__apiType` structurally, so they accept these documents as
 * their own.
 */
export interface TypedDocumentNode<Result = { [key: string]: unknown }, Variables = { [key: string]: unknown }> extends DocumentNode {
  /** Never set at run time: it only carries the two types. */
  __apiType?: (variables: Variables) => Result;
}

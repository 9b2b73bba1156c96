import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { GraphQLError, type ValidationContext, type ValidationRule } from 'graphql';

export interface QueryLimits {
  /** Lexical tokens of one document; parsing stops past it, so nothing later sees a huge document. */
  maxTokens: number;
  /** Deepest nesting of selections, e.g. `tenants { edges { node { id } } }` is 4. */
  maxDepth: number;
  /** Aliased fields in one operation, fragments expanded (`__typename` is free). */
  maxAliases: number;
  /** Directives in one operation, fragments expanded. */
  maxDirectives: number;
  /** Times one response name may be selected in one selection set, fragments merged (repeated-fields.ts). */
  maxRepeatedField: number;
  /**
   * Cost (see cost.ts: fields, times `first` for lists) of one HTTP request, a batch's operations
   * added up, and of all operations live on one WebSocket at once.
   */
  maxCost: number;
}

/**
 * Our own types nest at most 6 levels; only introspection's `ofType` chain goes deeper, and the
 * standard introspection query that tools send (graphql-js getIntrospectionQuery) is 15 deep,
 * 184 tokens, and costs 220. Every operation of the SDK (client/operations, fragments included)
 * fits in 320 tokens; the costliest (ProvisioningLogs with first: 1000, every event field)
 * costs 51,000, a page of 200 tenants 13,200. The cost limit leaves room for that query to
 * grow with the schema: twice it.
 *
 * 1,000 tokens (graphql-armor's own default) and 10 repeats of a field per selection set bound
 * the work of graphql-js's own rules: OverlappingFieldsCanBeMerged compares alike fields
 * pairwise, and ~250 copies of `me { id }`, all 1,000 tokens allow, took 110-240 ms to validate
 * on this 2-core machine (the 100 KB body limit alone allows ~2,500 copies, and seconds). Within
 * both bounds the worst documents measured validate in under 10 ms.
 */
export const DEFAULT_QUERY_LIMITS: QueryLimits = { maxTokens: 1_000, maxDepth: 15, maxAliases: 30, maxDirectives: 50, maxRepeatedField: 10, maxCost: 100_000 };

/**
 * Depth, alias and directive limits as validation rules (graphql-armor), the same list for HTTP
 * (Apollo) and the WebSocket. Each walks an operation once and computes every fragment once, so
 * a document of nested fragment spreads is measured in time linear in its size.
 */
export function queryLimitRules(limits: QueryLimits = DEFAULT_QUERY_LIMITS): ValidationRule[] {
  const common = { exposeLimits: true, propagateOnRejection: false };
  return [
    // Flattened fragments and introspection counted: the depth the old rule measured, which the
    // standard introspection query passes at 15 and a deeper `ofType` chain does not.
    maxDepthRule({ ...common, n: limits.maxDepth, flattenFragments: true, ignoreIntrospection: false, onReject: [refuse('Split it into several queries.')] }),
    maxAliasesRule({ ...common, n: limits.maxAliases, onReject: [refuse('Ask for fewer aliased fields, or split the operation.')] }),
    maxDirectivesRule({ ...common, n: limits.maxDirectives, onReject: [refuse('Use fewer directives.')] }),
  ];
}

/** graphql-armor says "Syntax Error: <limit> exceeded, found N."; we say what it is and what to do. */
function refuse(advice: string) {
  return (context: ValidationContext | null, error: GraphQLError) => {
    const message = `${error.message.replace(/^Syntax Error: /, '')} ${advice}`;
    context?.reportError(new GraphQLError(message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }));
  };
}

import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';

export interface QueryLimits {
  /** Deepest nesting of selections, e.g. `tenants { edges { node { id } } }` is 4. */
  maxDepth: number;
  /** Fields selected in all, aliases and fragment spreads included. */
  maxFields: number;
}

/**
 * Our own types nest at most 6 levels; only introspection's `ofType` chain goes deeper, and the
 * standard introspection query that tools send (graphql-js getIntrospectionQuery) is 15 deep.
 */
export const DEFAULT_QUERY_LIMITS: QueryLimits = { maxDepth: 15, maxFields: 500 };

/**
 * One validation rule for both limits: walks each operation once, expanding fragments (each at
 * most once per path, so a fragment cycle cannot loop), and refuses the document before any
 * resolver runs.
 */
export function queryLimitsRule(limits: QueryLimits = DEFAULT_QUERY_LIMITS): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of context.getDocument().definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }
    return {
      OperationDefinition(operation) {
        // Counting stops past the limit, so nested fragment spreads cannot make validation itself slow.
        const totals = { fields: 0, depth: 0, stopAt: limits.maxFields + 1 };
        measure(operation.selectionSet, 1, totals, fragments, new Set());
        const name = operation.name?.value ?? 'the operation';
        if (totals.depth > limits.maxDepth) {
          context.reportError(
            new GraphQLError(`${name} is nested ${totals.depth} levels deep; the limit is ${limits.maxDepth}. Split it into several queries.`, {
              nodes: [operation],
              extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
            }),
          );
        }
        if (totals.fields > limits.maxFields) {
          context.reportError(
            new GraphQLError(`${name} selects ${totals.fields} fields; the limit is ${limits.maxFields}. Ask for fewer fields or aliases.`, {
              nodes: [operation],
              extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
            }),
          );
        }
      },
    };
  };
}

function measure(
  selectionSet: SelectionSetNode,
  depth: number,
  totals: { fields: number; depth: number; stopAt: number },
  fragments: Map<string, FragmentDefinitionNode>,
  visiting: Set<string>,
): void {
  for (const selection of selectionSet.selections) {
    if (totals.fields >= totals.stopAt) return;
    if (selection.kind === Kind.FIELD) {
      totals.fields += 1;
      totals.depth = Math.max(totals.depth, depth);
      if (selection.selectionSet) measure(selection.selectionSet, depth + 1, totals, fragments, visiting);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      measure(selection.selectionSet, depth, totals, fragments, visiting);
    } else {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      if (!fragment || visiting.has(name)) continue;
      visiting.add(name);
      measure(fragment.selectionSet, depth, totals, fragments, visiting);
      visiting.delete(name);
    }
  }
}

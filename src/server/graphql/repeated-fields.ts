import { GraphQLError, Kind, visit, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';

/**
 * Written here for a measured reason: graphql-js's OverlappingFieldsCanBeMerged compares every
 * two fields of one response name in a selection set, fragments merged in, each pair with its
 * sub-selections. Inside the 1,000-token bound, 17 fragments of ten `me { id }` each, spread
 * side by side, took 166-258 ms to validate on this 2-core machine, and no validation rule can
 * run before it (graphql-js runs all rules in one pass, the specified ones first). So this check
 * runs on the parsed document before validation, in time linear in the document: no response
 * name may be selected more than `maxRepeats` times in one selection set, counting inline
 * fragments and every fragment spread into it (each once, as graphql-js merges them).
 */
export function repeatedFieldError(document: DocumentNode, maxRepeats: number): GraphQLError | null {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const flattened = new Map<string, Flattened>();
  const fragmentFields = (name: string) => {
    if (!flattened.has(name)) flattened.set(name, flatten(fragments.get(name)!.selectionSet));
    return flattened.get(name)!;
  };
  const merged = fragmentClosure((name) => (fragments.has(name) ? fragmentFields(name).spreads : null));
  let found: { name: string; count: number } | null = null;
  visit(document, {
    SelectionSet(node) {
      const { counts, spreads } = flatten(node);
      for (const fragment of spreads) {
        for (const name of merged(fragment)) {
          for (const [field, count] of fragmentFields(name).counts) counts.set(field, (counts.get(field) ?? 0) + count);
        }
      }
      for (const [name, count] of counts) if (count > maxRepeats && count > (found?.count ?? 0)) found = { name, count };
    },
  });
  if (!found) return null;
  const { name, count } = found;
  return new GraphQLError(`"${name}" is selected ${count} times in one selection set; the limit is ${maxRepeats}. Select each field once, or alias the copies you need.`, {
    extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
  });
}

interface Flattened {
  counts: Map<string, number>;
  spreads: Set<string>;
}

/** Fields by response name in a selection set with its inline fragments, and the fragments it spreads. */
function flatten(selectionSet: SelectionSetNode, into: Flattened = { counts: new Map(), spreads: new Set() }): Flattened {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const name = (selection.alias ?? selection.name).value;
      into.counts.set(name, (into.counts.get(name) ?? 0) + 1);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      flatten(selection.selectionSet, into);
    } else {
      into.spreads.add(selection.name.value);
    }
  }
  return into;
}

/** For a fragment name: it and every known fragment it spreads, transitively, each once (cycles end). */
function fragmentClosure(spreadsOf: (name: string) => Set<string> | null) {
  const closures = new Map<string, Set<string>>();
  return (start: string): Set<string> => {
    const cached = closures.get(start);
    if (cached) return cached;
    const reached = new Set<string>();
    const pending = [start];
    while (pending.length > 0) {
      const name = pending.pop()!;
      const spreads = spreadsOf(name);
      if (reached.has(name) || !spreads) continue;
      reached.add(name);
      pending.push(...spreads);
    }
    closures.set(start, reached);
    return reached;
  };
}

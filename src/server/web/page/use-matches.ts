import { useEffect, useState } from 'react';
import type { TenantFilter } from '../../../../client/src/index.js';
import { api, errorMessage } from './session.js';
import type { FleetState } from './use-fleet.js';

/** Rows the table lists at most (the service's largest page); the count says when more matched. */
export const MAX_ROWS = 200;

export interface Applied {
  filter: TenantFilter;
  /** Renewed on every Apply, so applying the same filter again asks the service again. */
  generation: number;
}

export interface Matches {
  /** In the service's order (creation); undefined while the query runs. */
  ids: string[] | undefined;
  total: number;
  /** When the service answered: tenants that came to match later show up on the next Apply. */
  at: Date | undefined;
  error: string | undefined;
}

export function isEmpty(filter: TenantFilter): boolean {
  return !Object.values(filter).some(Boolean);
}

/**
 * The tenants a filter matched, asked once per Apply. Their states join the fleet, which keeps
 * every row live from then on; with no filter at all the fleet itself is the answer, live, and
 * no query is sent.
 */
export function useMatches(applied: Applied, fleet: FleetState): Matches {
  const [matches, setMatches] = useState<Matches>({ ids: undefined, total: 0, at: undefined, error: undefined });
  const everything = isEmpty(applied.filter);

  useEffect(() => {
    if (everything) return undefined;
    let replaced = false;
    setMatches({ ids: undefined, total: 0, at: undefined, error: undefined });
    api
      .tenants({ filter: applied.filter, first: MAX_ROWS })
      .then((page) => {
        if (replaced) return;
        const nodes = page.edges.map((edge) => edge.node);
        fleet.add(nodes);
        setMatches({ ids: nodes.map((node) => node.id), total: page.totalCount, at: new Date(), error: undefined });
      })
      .catch((failure) => replaced || setMatches({ ids: [], total: 0, at: undefined, error: errorMessage(failure) }));
    return () => {
      replaced = true;
    };
    // fleet.add is a new function each render; the query belongs to the Apply alone.
  }, [applied]);

  if (!everything) return matches;
  const all = [...fleet.tenants.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  return { ids: fleet.loaded ? all.slice(0, MAX_ROWS).map((tenant) => tenant.id) : undefined, total: all.length, at: undefined, error: fleet.error };
}

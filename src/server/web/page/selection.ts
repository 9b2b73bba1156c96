import { useEffect, useState } from 'react';

const PREFIX = '#tenant=';

/**
 * The tenant a platform admin is looking at, kept in the URL hash so a reload, the back button
 * or a shared link shows the same one again.
 */
export function useSelectedTenant(): [string | undefined, (tenantId: string) => void] {
  const [selected, setSelected] = useState(selectedInHash);
  useEffect(() => {
    const follow = () => setSelected(selectedInHash());
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, []);
  return [selected, (tenantId) => (window.location.hash = tenantHref(tenantId))];
}

/** The link to a tenant's run view on this page. */
export function tenantHref(tenantId: string): string {
  return `${PREFIX}${encodeURIComponent(tenantId)}`;
}

export function clearSelectedTenant(): void {
  window.history.replaceState(null, '', window.location.pathname);
}

function selectedInHash(): string | undefined {
  const { hash } = window.location;
  return hash.startsWith(PREFIX) ? decodeURIComponent(hash.slice(PREFIX.length)) : undefined;
}

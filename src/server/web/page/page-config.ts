import type { DevelopmentAdminHint } from '../routes.js';

/** What the server put in the page for the bundle (routes.ts): only the development admin's hint so far. */
interface PageConfig {
  developmentAdmin: DevelopmentAdminHint | null;
}

export function pageConfig(): PageConfig {
  const block = document.getElementById('page-config');
  return block?.textContent ? (JSON.parse(block.textContent) as PageConfig) : { developmentAdmin: null };
}

import { useState } from 'react';
import { ActivityList } from './ActivityList.js';
import { CreateWorkspaceForm, type CreatedTenant } from './CreateWorkspaceForm.js';
import { RunView } from './RunView.js';
import { useSelectedTenant } from './selection.js';

/** The create form and every tenant's activity beside the run view of the one selected. */
export function PlatformAdminView() {
  const [selectedId, select] = useSelectedTenant();
  const [created, setCreated] = useState<CreatedTenant[]>([]);

  function onCreated(tenant: CreatedTenant) {
    setCreated((list) => [tenant, ...list]);
    select(tenant.id);
  }

  return (
    <div className="layout with-sidebar">
      <aside>
        <CreateWorkspaceForm onCreated={onCreated} />
        <ActivityList added={created} selectedId={selectedId} onSelect={select} />
      </aside>
      <div className="main-column">
        {selectedId ? <RunView key={selectedId} tenantId={selectedId} /> : <p className="card muted">Create a workspace, or pick one from the activity list.</p>}
      </div>
    </div>
  );
}

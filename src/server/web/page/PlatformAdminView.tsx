import { ActivityList } from './ActivityList.js';
import { CreateWorkspaceForm, type CreatedTenant } from './CreateWorkspaceForm.js';
import { RunView } from './RunView.js';
import { useSelectedTenant } from './selection.js';
import { useFleet } from './use-fleet.js';

/** The create form and every tenant's activity beside the run view of the one selected. */
export function PlatformAdminView() {
  const [selectedId, select] = useSelectedTenant();
  const fleet = useFleet();

  function onCreated(tenant: CreatedTenant) {
    // Listed before its first event arrives.
    fleet.add([tenant]);
    select(tenant.id);
  }

  return (
    <div className="layout with-sidebar">
      <aside>
        <CreateWorkspaceForm onCreated={onCreated} />
        <ActivityList fleet={fleet} selectedId={selectedId} onSelect={select} />
      </aside>
      <div className="main-column">
        {selectedId ? <RunView key={selectedId} tenantId={selectedId} /> : <p className="card muted">Create a workspace, or pick one from the activity list.</p>}
      </div>
    </div>
  );
}

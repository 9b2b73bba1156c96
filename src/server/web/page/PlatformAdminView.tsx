import { ActivityList } from './ActivityList.js';
import { CreateWorkspaceForm, type CreatedTenant } from './CreateWorkspaceForm.js';
import { RunExplorer } from './RunExplorer.js';
import { RunView } from './RunView.js';
import { useSelectedTenant } from './selection.js';
import { useFleet } from './use-fleet.js';

/**
 * The create form and every tenant's activity beside the run explorer, or, once a tenant is
 * selected, its run view (the drill-down). The explorer stays mounted while hidden, so its filter,
 * its matches and the last bulk answer are still there on the way back.
 */
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
        <RunExplorer fleet={fleet} hidden={selectedId !== undefined} onSelect={select} />
        {selectedId && (
          <>
            {/* An empty hash: no tenant selected, the explorer again. */}
            <a className="back" href="#">
              ← All runs
            </a>
            <RunView key={selectedId} tenantId={selectedId} />
          </>
        )}
      </div>
    </div>
  );
}

import { useState, type FormEvent } from 'react';
import type { CreateTenantMutation } from '../../../../client/src/index.js';
import { api } from './session.js';
import { useAction } from './use-action.js';

export type CreatedTenant = CreateTenantMutation['createTenant'];

const EMPTY = { name: '', countryCode: 'KE', adminName: '', adminEmail: '', adminPassword: '', includeDemoData: false };

/** Creates a workspace and starts provisioning it at once (autoStart). */
export function CreateWorkspaceForm({ onCreated }: { onCreated: (tenant: CreatedTenant) => void }) {
  const [form, setForm] = useState(EMPTY);
  const { busy, error, act } = useAction();
  const field = (name: keyof typeof EMPTY) => (e: { target: { value: string } }) => setForm({ ...form, [name]: e.target.value });

  function submit(event: FormEvent) {
    event.preventDefault();
    void act(async () => {
      const { includeDemoData, ...tenant } = form;
      const created = await api.createTenant({ ...tenant, autoStart: true, provisioning: { includeDemoData } });
      setForm(EMPTY);
      onCreated(created);
    });
  }

  return (
    <form className="card" onSubmit={submit} aria-label="Create a workspace">
      <h2>Create a workspace</h2>
      <label>
        Workspace name
        <input value={form.name} onChange={field('name')} required maxLength={140} />
      </label>
      <label>
        Country (ISO code)
        <input value={form.countryCode} onChange={field('countryCode')} required pattern="[A-Za-z]{2}" maxLength={2} />
      </label>
      <label>
        Admin name
        <input value={form.adminName} onChange={field('adminName')} required />
      </label>
      <label>
        Admin email
        <input type="email" value={form.adminEmail} onChange={field('adminEmail')} required />
      </label>
      <label>
        Admin password
        <input type="password" autoComplete="new-password" value={form.adminPassword} onChange={field('adminPassword')} required minLength={12} />
      </label>
      <label className="inline">
        <input type="checkbox" checked={form.includeDemoData} onChange={(e) => setForm({ ...form, includeDemoData: e.target.checked })} />
        Include demo items
      </label>
      {error && <p className="error" role="alert">{error}</p>}
      <button type="submit" disabled={busy}>
        Create and provision
      </button>
    </form>
  );
}

import { createProvisioningClient, RUN_END_EVENTS, subscribeProvisioningEvents, type ProvisioningEvent } from '@tenant-provisioning/client';

/** Signs in, creates a workspace that provisions itself at once, and follows it to the end. */
export async function provisionWorkspace(url: string, email: string, password: string): Promise<ProvisioningEvent[]> {
  const { token } = await createProvisioningClient({ url }).login(email, password);
  const api = createProvisioningClient({ url, token });
  const tenant = await api.createTenant({
    name: 'Mama Mboga Grocers', countryCode: 'KE', adminName: 'Mary Wanjiku',
    adminEmail: 'owner@mamamboga.test', adminPassword: 'a-long-password', autoStart: true,
  });
  const events: ProvisioningEvent[] = [];
  // after: 0 replays the run from its first event, then follows it live.
  for await (const event of subscribeProvisioningEvents({ url, token, tenantId: tenant.id, after: 0 })) {
    console.log(event.seq, event.type, event.step ?? '', `${event.provisioning?.progress ?? 0}%`);
    events.push(event);
    if (RUN_END_EVENTS.includes(event.type)) break;
  }
  return events;
}

import type { ProvisioningEvent } from '../../../../client/src/index.js';

export function EventLog({ events }: { events: ProvisioningEvent[] }) {
  return (
    <ol className="event-log" aria-label="Events">
      {events.map((event) => (
        <li key={event.seq} data-seq={event.seq}>
          <span className="seq">#{event.seq}</span> <span className="type">{event.type}</span> {event.message}
        </li>
      ))}
    </ol>
  );
}

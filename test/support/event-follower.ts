import { collect, wsClient } from './graphql.js';
import { LOGGED_EVENT_FIELDS, TERMINAL_EVENTS, type LoggedEvent } from './reliability.js';

/**
 * A client following one tenant's events the way the contract tells clients to: subscribe with
 * `after` = the last seq it received, and when the connection drops (its server was killed or
 * stopped), subscribe again, possibly on another replica, from that seq.
 */
export class EventFollower {
  readonly received: LoggedEvent[] = [];

  constructor(
    readonly tenantId: string,
    private readonly token: string,
    /** The event after which the client stops listening. */
    private readonly isLast: (event: LoggedEvent) => boolean = (event) => TERMINAL_EVENTS.has(event.type),
  ) {}

  get lastSeq(): number {
    return this.received.at(-1)?.seq ?? 0;
  }

  get finished(): boolean {
    return this.received.some(this.isLast);
  }

  /** Follows on `wsUrl` from the last seq received; resolves when the run ends or the connection drops. */
  async follow(wsUrl: string): Promise<void> {
    const client = wsClient(wsUrl, this.token);
    try {
      await collect<LoggedEvent>(
        client,
        `subscription ($id: ID!, $after: Int) { provisioningEvents(tenantId: $id, after: $after) { ${LOGGED_EVENT_FIELDS} } }`,
        { id: this.tenantId, after: this.lastSeq },
        (event) => {
          this.received.push(event);
          return this.isLast(event);
        },
        'provisioningEvents',
      );
    } catch {
      // The connection dropped: the caller resubscribes from lastSeq.
    } finally {
      await client.dispose();
    }
  }
}

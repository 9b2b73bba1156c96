import type WebSocket from 'ws';

export interface SocketLimits {
  /** Open sockets from one client address. */
  perClient: number;
  /** Sockets, from anywhere, that have not sent connection_init yet (each waits at most 3 s for it). */
  pending: number;
  /** Operations live at once on one socket (subscriptions, and queries until they answer). */
  operationsPerSocket: number;
}

/**
 * A browser tab holds one socket; 100 leave room for a whole office behind one NAT address. A
 * pending socket costs memory and a timer for 3 s; 1,000 of them are a few MB.
 */
export const DEFAULT_SOCKET_LIMITS: SocketLimits = { perClient: 100, pending: 1_000, operationsPerSocket: 100 };

/** Counts sockets per client address and those still waiting for connection_init. */
export class SocketCaps {
  private readonly openByAddress = new Map<string, number>();
  private readonly pending = new Set<WebSocket>();

  constructor(private readonly limits: SocketLimits) {}

  /** Counts the socket in (until it closes), or says why it may not stay. */
  admit(socket: WebSocket, address: string): string | null {
    const open = this.openByAddress.get(address) ?? 0;
    if (open >= this.limits.perClient) return `Too many connections from your address (limit ${this.limits.perClient}): close some, then retry`;
    if (this.pending.size >= this.limits.pending) return 'Too many connections waiting to initialise: retry shortly';
    this.openByAddress.set(address, open + 1);
    this.pending.add(socket);
    socket.once('close', () => {
      this.pending.delete(socket);
      const left = (this.openByAddress.get(address) ?? 1) - 1;
      if (left > 0) this.openByAddress.set(address, left);
      else this.openByAddress.delete(address);
    });
    return null;
  }

  /** connection_init arrived: the socket no longer counts as pending. */
  initialised(socket: WebSocket): void {
    this.pending.delete(socket);
  }
}

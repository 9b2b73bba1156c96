import { GraphQLError } from 'graphql';
import { AppError } from '../../lib/errors.js';

/**
 * What one socket has live: each operation's cost from subscribe until it completes. The count
 * and the summed cost are both bounded, so one socket cannot hold thousands of subscriptions or
 * a few huge ones.
 */
export class OperationBudget {
  private readonly live = new Map<string, number>();

  constructor(private readonly maxOperations: number, private readonly maxCost: number) {}

  /**
   * Reserves the operation's share, or the RATE_LIMITED error to answer its subscribe with.
   * `isLive` says which operations graphql-ws still runs: one the client completed is gone from
   * there at once, while its own completion (release) may come a moment later.
   */
  reserve(id: string, cost: number, isLive: (id: string) => boolean = () => true): GraphQLError | null {
    for (const other of this.live.keys()) if (!isLive(other)) this.live.delete(other);
    if (this.live.size >= this.maxOperations) {
      return rateLimited(`This socket already has ${this.live.size} operations live (limit ${this.maxOperations}): complete some first.`);
    }
    const total = [...this.live.values()].reduce((sum, each) => sum + each, 0);
    if (total + cost > this.maxCost) {
      return rateLimited(`The operations live on this socket would cost ${total + cost} (limit ${this.maxCost}): complete some first, or ask for less.`);
    }
    this.live.set(id, cost);
    return null;
  }

  release(id: string): void {
    this.live.delete(id);
  }
}

/** Carries an AppError so formatError keeps the code and message. */
function rateLimited(message: string): GraphQLError {
  const reason = new AppError('RATE_LIMITED', message);
  return new GraphQLError(reason.message, { originalError: reason, extensions: { code: reason.code } });
}

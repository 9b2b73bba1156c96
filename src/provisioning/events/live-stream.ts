import { Repeater } from '@repeaterjs/repeater';
import { AppError } from '../../lib/errors.js';

/**
 * Live events a subscriber may leave unread before it is ended as too slow. At most 1000:
 * Repeater refuses more than 1024 pending pushes.
 */
export const DEFAULT_BUFFER_EVENTS = 1000;
export const MAX_BUFFER_EVENTS = 1000;

export const TOO_SLOW_LOG_MESSAGE = 'subscription ended: the subscriber fell too far behind (SUBSCRIBER_TOO_SLOW)';

export const subscriberTooSlow = (bound: number) =>
  new AppError(
    'SUBSCRIBER_TOO_SLOW',
    `This subscription fell more than ${bound} events behind and was ended. Subscribe again with \`after\` set to the last seq you received: nothing is lost.`,
  );

export interface LiveStreamControls<T> {
  /**
   * Counts a live event as owed to the subscriber before it is handed over; past the bound the
   * stream ends with SUBSCRIBER_TOO_SLOW and this returns false.
   */
  owe(): boolean;
  /** Hands a value over; resolves once the subscriber has taken it (replays pace themselves on it). */
  give(value: T): Promise<void>;
  /** An owed event was handed over, or turned out not to be needed. */
  settle(): void;
  /** Ends the stream with `error`, after the subscriber has read what it already has. */
  fail(error: Error): void;
}

/**
 * An async iterator fed by callbacks, bounded: a consumer that stops reading (its socket is
 * behind) cannot make the server hold live events for it without limit. `setup` hooks the
 * sources and returns how to unhook them, which runs once the consumer is gone.
 */
export function liveStream<T>(
  bound: number,
  setup: (controls: LiveStreamControls<T>) => () => void,
  /** Told the moment the bound is passed (the subscriber hears of it only once it reads again). */
  onTooSlow?: () => void,
): AsyncIterableIterator<T> {
  return new Repeater<T>(async (push, stop) => {
    let owed = 0;
    const controls: LiveStreamControls<T> = {
      owe() {
        owed += 1;
        if (owed <= bound) return true;
        if (owed === bound + 1) onTooSlow?.();
        stop(subscriberTooSlow(bound));
        return false;
      },
      give: async (value) => {
        await push(value);
      },
      settle() {
        owed -= 1;
      },
      fail: (error) => stop(error),
    };
    const unhook = setup(controls);
    await stop;
    unhook();
  });
}

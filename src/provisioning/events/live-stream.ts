import { FixedBuffer, Repeater, type Push } from '@repeaterjs/repeater';
import { AppError } from '../../lib/errors.js';

/** Events a subscriber may leave unread before it is ended as too slow (its socket is behind). */
export const MAX_UNREAD_EVENTS = 1000;

export const subscriberTooSlow = () =>
  new AppError(
    'SUBSCRIBER_TOO_SLOW',
    `This subscription fell more than ${MAX_UNREAD_EVENTS} events behind and was ended. Subscribe again with \`after\` set to the last seq you received: nothing is lost.`,
  );

export interface LiveStreamControls<T> {
  /** Hands `value` to the subscriber; past the bound, ends the stream with SUBSCRIBER_TOO_SLOW. */
  push(value: T): void;
  /** Ends the stream with `error`, after the subscriber has read what is already queued. */
  fail(error: Error): void;
  /** Resolves when the subscriber has gone (returned, or the stream ended). */
  ended: Promise<unknown>;
}

/**
 * An async iterator fed by callbacks, with a bounded buffer: a consumer that stops reading
 * cannot make the server hold events for it without limit. `setup` hooks the sources and
 * returns how to unhook them, which runs once the consumer is gone.
 */
export function liveStream<T>(setup: (controls: LiveStreamControls<T>) => () => void): AsyncIterableIterator<T> {
  const buffer = new FixedBuffer(MAX_UNREAD_EVENTS);
  return new Repeater<T>(async (push: Push<T>, stop) => {
    const controls: LiveStreamControls<T> = {
      push(value) {
        if (buffer.full) stop(subscriberTooSlow());
        else void push(value);
      },
      fail: (error) => stop(error),
      ended: stop,
    };
    const unhook = setup(controls);
    await stop;
    unhook();
  }, buffer);
}

import { AppError } from '../../lib/errors.js';

/** Live events a subscriber may leave unread before it is ended as too slow. */
export const DEFAULT_BUFFER_EVENTS = 1000;
/** What one subscriber that stops reading may make the server hold, whatever the configuration. */
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
  /**
   * Hands a value over; resolves once the subscriber has taken it and asked for the next one
   * (or the stream has ended): replays pace themselves on it.
   */
  give(value: T): Promise<void>;
  /** An owed event was handed over, or turned out not to be needed. */
  settle(): void;
  /** Ends the stream with `error`, after the subscriber has read what it already has. */
  fail(error: Error): void;
}

/**
 * An async iterator fed by callbacks, bounded: a consumer that stops reading (its socket is
 * behind) cannot make the server hold live events for it without limit. `setup` hooks the
 * sources when the consumer first reads and returns how to unhook them, which runs once the
 * stream ends (the consumer returned, or the stream failed).
 */
export function liveStream<T>(
  bound: number,
  setup: (controls: LiveStreamControls<T>) => () => void,
  /** Told the moment the bound is passed (the subscriber hears of it only once it reads again). */
  onTooSlow?: () => void,
): AsyncIterableIterator<T> {
  return new LiveStream(bound, setup, onTooSlow);
}

const DONE: IteratorReturnResult<undefined> = Object.freeze({ value: undefined, done: true });

/**
 * Hand-written instead of @repeaterjs/repeater (used here before): every event of every
 * subscriber passes through it, and Repeater's push (a promise made the prototype of another
 * object, three promise chains per value) was 10.8% of the service's CPU while 1,000
 * subscribers received a burst, the largest item after the socket writes (`npm run bench --
 * --only=latency --profile`). This one is a rendezvous: no buffer of its own, a value waits with
 * its giver until the consumer takes it.
 */
class LiveStream<T> implements AsyncIterableIterator<T> {
  /** Values given and not yet taken, each with the resolver of its `give`. */
  private readonly offers: Array<{ value: T; taken: () => void }> = [];
  /** Reads waiting for a value. */
  private readonly takers: Array<{ resolve: (result: IteratorResult<T>) => void; reject: (error: Error) => void }> = [];
  /** The last taken value's `give`, resolved when the consumer reads again. */
  private onRead: (() => void) | undefined;
  private owed = 0;
  private unhook: (() => void) | undefined;
  private started = false;
  private stopped = false;
  /** The error the stream ended with, until the consumer has read it. */
  private error: Error | undefined;

  constructor(
    private readonly bound: number,
    private readonly setup: (controls: LiveStreamControls<T>) => () => void,
    private readonly onTooSlow: (() => void) | undefined,
  ) {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<T>> {
    this.resolveRead();
    if (!this.started && !this.stopped) this.start();
    const offer = this.offers.shift();
    if (offer) {
      this.onRead = offer.taken;
      return Promise.resolve({ value: offer.value, done: false });
    }
    if (this.stopped) return this.end();
    return new Promise((resolve, reject) => this.takers.push({ resolve, reject }));
  }

  return(): Promise<IteratorResult<T>> {
    this.error = undefined;
    this.stop();
    for (const offer of this.offers.splice(0)) offer.taken();
    return Promise.resolve(DONE);
  }

  private start(): void {
    this.started = true;
    const controls: LiveStreamControls<T> = {
      owe: () => {
        this.owed += 1;
        if (this.owed <= this.bound) return true;
        if (this.owed === this.bound + 1) this.onTooSlow?.();
        this.fail(subscriberTooSlow(this.bound));
        return false;
      },
      give: (value) => this.give(value),
      settle: () => {
        this.owed -= 1;
      },
      fail: (error) => this.fail(error),
    };
    const unhook = this.setup(controls);
    // The setup may have ended the stream already (a source that failed at once).
    if (this.stopped) unhook();
    else this.unhook = unhook;
  }

  private give(value: T): Promise<void> {
    if (this.stopped) return Promise.resolve();
    const taker = this.takers.shift();
    if (taker) {
      taker.resolve({ value, done: false });
      if (this.takers.length > 0) return Promise.resolve();
      return new Promise((resolve) => (this.onRead = resolve));
    }
    return new Promise((taken) => this.offers.push({ value, taken }));
  }

  private fail(error: Error): void {
    if (this.stopped) return;
    this.error = error;
    this.stop();
    // The values already given are still read, then the error.
    for (const offer of this.offers) offer.taken();
  }

  private stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.resolveRead();
    this.unhook?.();
    this.unhook = undefined;
    for (const taker of this.takers.splice(0)) this.end().then(taker.resolve, taker.reject);
  }

  private end(): Promise<IteratorResult<T>> {
    const error = this.error;
    this.error = undefined;
    return error ? Promise.reject(error) : Promise.resolve(DONE);
  }

  private resolveRead(): void {
    const onRead = this.onRead;
    this.onRead = undefined;
    onRead?.();
  }
}

import { describe, expect, it } from '@jest/globals';
import { liveStream, type LiveStreamControls } from '../../src/provisioning/events/live-stream.js';

/** A stream whose source is driven by the test: the controls it was given, and whether it is hooked. */
function drivenStream(bound = 3) {
  const source: { controls?: LiveStreamControls<number>; hooked: boolean; tooSlow: number } = { hooked: false, tooSlow: 0 };
  const stream = liveStream<number>(
    bound,
    (controls) => {
      source.controls = controls;
      source.hooked = true;
      return () => {
        source.hooked = false;
      };
    },
    () => (source.tooSlow += 1),
  );
  return { stream, source };
}

/** Whether a promise has settled by the time the queued microtasks have run. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe('live stream', () => {
  it('hooks its source on the first read, hands values over in order, and a give resolves once the reader asks again', async () => {
    const { stream, source } = drivenStream();
    expect(source.hooked).toBe(false);
    const first = stream.next();
    expect(source.hooked).toBe(true);

    const given1 = source.controls!.give(1);
    const given2 = source.controls!.give(2);
    expect(await first).toEqual({ value: 1, done: false });
    expect(await settled(given1)).toBe(false);

    expect(await stream.next()).toEqual({ value: 2, done: false });
    expect(await settled(given1)).toBe(true);
    expect(await settled(given2)).toBe(false);
    const third = stream.next();
    expect(await settled(given2)).toBe(true);
    expect(await settled(third)).toBe(false);
    await stream.return!();
    expect(await third).toEqual({ value: undefined, done: true });
  });

  it('ends a read that waits, and unhooks, when the reader returns', async () => {
    const { stream, source } = drivenStream();
    const waiting = stream.next();
    expect(await stream.return!()).toEqual({ value: undefined, done: true });
    expect(await waiting).toEqual({ value: undefined, done: true });
    expect(source.hooked).toBe(false);
    expect(await source.controls!.give(4).then(() => 'resolved')).toBe('resolved');
    expect(await stream.next()).toEqual({ value: undefined, done: true });
  });

  it('on failure gives what was already handed over, then the error once, then ends', async () => {
    const { stream, source } = drivenStream();
    const first = stream.next();
    void source.controls!.give(1);
    expect(await first).toEqual({ value: 1, done: false });
    const given = source.controls!.give(2);
    source.controls!.fail(new Error('log unreadable'));
    expect(await settled(given)).toBe(true);
    expect(source.hooked).toBe(false);
    expect(await stream.next()).toEqual({ value: 2, done: false });
    await expect(stream.next()).rejects.toThrow('log unreadable');
    expect(await stream.next()).toEqual({ value: undefined, done: true });
  });

  it('ends with SUBSCRIBER_TOO_SLOW once more events are owed than its bound, telling it once', async () => {
    const { stream, source } = drivenStream(2);
    const waiting = stream.next();
    const owed = [1, 2, 3, 4].map(() => source.controls!.owe());
    expect(owed).toEqual([true, true, false, false]);
    expect(source.tooSlow).toBe(1);
    expect(source.hooked).toBe(false);
    await expect(waiting).rejects.toMatchObject({ code: 'SUBSCRIBER_TOO_SLOW' });
    expect(await stream.next()).toEqual({ value: undefined, done: true });
  });

  it('a reader that keeps up is never too slow, however many events pass its bound in all', async () => {
    const { stream, source } = drivenStream(2);
    const read: number[] = [];
    const reading = (async () => {
      for await (const value of stream) {
        read.push(value);
        if (value === 9) break;
      }
    })();
    await settled(Promise.resolve());
    for (let value = 0; value < 10; value++) {
      expect(source.controls!.owe()).toBe(true);
      await source.controls!.give(value).finally(source.controls!.settle);
    }
    await reading;
    expect(read).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(source.tooSlow).toBe(0);
    expect(source.hooked).toBe(false);
  });
});

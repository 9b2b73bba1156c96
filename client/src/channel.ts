/**
 * Items pushed from callbacks (graphql-ws's sink and its `connected` event), handed out in order
 * by one async iterator: pending items first, then the failure or the end.
 */
export class Channel<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private failure: { error: unknown } | undefined;
  private finished = false;
  private wake: (() => void) | undefined;

  push(item: T): void {
    if (this.finished) return;
    this.items.push(item);
    this.notify();
  }

  fail(error: unknown): void {
    if (this.finished) return;
    this.failure = { error };
    this.finish();
  }

  finish(): void {
    this.finished = true;
    this.notify();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for (;;) {
      if (this.items.length > 0) {
        yield this.items.shift() as T;
        continue;
      }
      if (this.failure) throw this.failure.error;
      if (this.finished) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  private notify(): void {
    this.wake?.();
    this.wake = undefined;
  }
}

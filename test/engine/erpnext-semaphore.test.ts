import { describe, expect, it } from '@jest/globals';
import { Semaphore } from '../../src/engine/erpnext/semaphore.js';

describe('Semaphore', () => {
  it('lets N holders in and hands each released permit to the next waiter in order', async () => {
    const semaphore = new Semaphore(2);
    const releaseA = await semaphore.acquire();
    const releaseB = await semaphore.acquire();
    const order: string[] = [];
    const c = semaphore.acquire().then((release) => (order.push('C'), release));
    const d = semaphore.acquire().then((release) => (order.push('D'), release));
    releaseA();
    releaseA(); // a second release of the same permit must not free another one
    const releaseC = await c;
    expect(order).toEqual(['C']);
    releaseB();
    await d;
    expect(order).toEqual(['C', 'D']);
    releaseC();
  });

  it('a waiter whose signal aborts leaves the queue with the abort reason', async () => {
    const semaphore = new Semaphore(1);
    const release = await semaphore.acquire();
    const controller = new AbortController();
    const waiting = semaphore.acquire(controller.signal);
    controller.abort(new Error('gave up'));
    await expect(waiting).rejects.toThrow('gave up');
    release();
    const next = await semaphore.acquire();
    next();
  });
});

import type { Component } from 'svelte';
import { describe, expect, test } from 'vitest';
import { Lazy } from '../src/lib/lazy.svelte';

const Page = (() => {}) as unknown as Component<Record<string, never>>;

/** A loader that counts its calls and fails while `failing` is set. */
function loader(failing = false) {
  const state = { calls: 0, failing };
  const load = async () => {
    state.calls++;
    if (state.failing) throw new Error('Importing a module script failed.');
    return { default: Page };
  };
  return { state, load };
}

describe('Lazy', () => {
  test('loads on the first get, once, and gives the component when it is there', async () => {
    const { state, load } = loader();
    const lazy = new Lazy(load);
    expect(state.calls).toBe(0);
    expect(lazy.get()).toBeNull();
    expect(lazy.get()).toBeNull();
    expect(state.calls).toBe(1);
    expect(await lazy.ready()).toBe(Page);
    expect(lazy.get()).toBe(Page);
    expect(lazy.error).toBeNull();
    expect(state.calls).toBe(1);
  });

  test('a failed load says why and is not tried again until retry', async () => {
    const { state, load } = loader(true);
    const lazy = new Lazy(load);
    const first = lazy.ready();
    expect(lazy.get()).toBeNull();
    await expect(first).rejects.toThrow('Importing a module script failed.');
    expect(lazy.error).toBe('Importing a module script failed.');
    // The page shows the error and its Try again button: rendering again does not reload.
    expect(lazy.get()).toBeNull();
    expect(lazy.get()).toBeNull();
    expect(state.calls).toBe(1);

    state.failing = false;
    lazy.retry();
    expect(lazy.error).toBeNull();
    expect(lazy.get()).toBeNull();
    expect(await lazy.ready()).toBe(Page);
    expect(lazy.get()).toBe(Page);
    expect(state.calls).toBe(2);
  });
});

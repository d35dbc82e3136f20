// Parts of the window loaded the first time they are shown, each from a chunk of its own: the
// dashboard is all a start needs, so the other pages and the modal flows (the wizard above all)
// stay out of the script the window parses and compiles before it can show the first rows.

import type { Component } from 'svelte';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyProps = Record<string, any>;

export class Lazy<P extends AnyProps> {
  /** The component, once loaded. */
  component = $state.raw<Component<P> | null>(null);
  /** Why it could not be loaded, if it could not. */
  error = $state.raw<string | null>(null);
  #load: () => Promise<{ default: Component<P> }>;
  #loading: Promise<Component<P>> | null = null;

  constructor(load: () => Promise<{ default: Component<P> }>) {
    this.#load = load;
  }

  /** Starts loading (once) and gives the component when it is there. */
  get(): Component<P> | null {
    if (!this.component && !this.error) this.ready().catch(() => {});
    return this.component;
  }

  /** Loads again after a failure. */
  retry(): void {
    this.error = null;
  }

  /** Resolves with the component when it is loaded. */
  ready(): Promise<Component<P>> {
    this.#loading ??= this.#load().then(
      (m) => {
        this.error = null;
        this.component = m.default;
        return m.default;
      },
      (e: unknown) => {
        this.#loading = null;
        this.error = e instanceof Error ? e.message : String(e);
        throw e;
      },
    );
    return this.#loading;
  }
}

// Types of fake-apple.js (keys and checks of the in-page fake shell), for the dev demo.
export {};

declare global {
  interface Window {
    /** Extra commands over the fake backend's store. */
    __tkFakeExtras?: (shared: Record<string, unknown>) => Record<string, (args: never) => unknown>;
  }
}

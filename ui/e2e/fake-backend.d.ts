// Types of the in-page fake shell (fake-backend.js), for the dev demo in src/dev/demo.ts.
export {};

declare global {
  interface Window {
    /** Makes an IPC handler over an in-memory store seeded from `config`. */
    __tkFakeBackend: (config: Record<string, unknown>) => (cmd: string, args?: unknown) => unknown;
  }
}

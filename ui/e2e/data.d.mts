// Types of the sample data (data.mjs), for the dev demo in src/dev/demo.ts.
export const TOPIC: string;
export const OTHER_TOPIC: string;
export const SILENT_TOPIC: string;
export const files: Record<string, Record<string, unknown>>;
export const clients: { name: string; portal: string; notes: string }[];
export const credentials: Record<string, unknown>[];
export const COUNTS: Record<'all' | 'renewal_required' | 'expired' | 'error', number>;
export const REASONS: Record<string, string>;
export const WARNINGS: Record<string, (...args: string[]) => string>;
export const SIGNING_EXPLANATION: string;
export const checkClients: { name: string; portal: string; notes: string }[];
export const checkCredentials: Record<string, unknown>[];
export const checks: Record<string, Record<string, unknown>>;
export const channels: Record<string, unknown>[];

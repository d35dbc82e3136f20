// The open-source notices of the About dialog: the shape of ui/src/generated/notices.json
// (written by scripts/notices.mjs) and the pure functions the dialog uses on it.

export type Platform = 'linux' | 'macos' | 'windows';

export interface Notice {
  name: string;
  version: string;
  /** The licence expression the package declares (SPDX, or the older `MIT/Apache-2.0`). */
  license: string;
  repository: string | null;
  /** Other software this package builds into the app (OpenSSL, SQLite). */
  note?: string;
  /** Only in the app built for these platforms; absent when in all of them. */
  platforms?: Platform[];
}

export interface Notices {
  app: { name: string; license: string; repository: string | null };
  /** Full name of every SPDX licence or exception identifier used below. */
  licenses: Record<string, string>;
  rust: { platforms: Platform[]; crates: Notice[] };
  npm: { packages: Notice[] };
}

export const PLATFORM_NAMES: Record<Platform, string> = { linux: 'Linux', macos: 'macOS', windows: 'Windows' };

/** The notices, loaded on first use (a chunk of their own, not part of the app's start). */
export async function loadNotices(): Promise<Notices> {
  const module = await import('../generated/notices.json');
  return module.default as Notices;
}

/**
 * An expression in words: `MIT OR Apache-2.0` -> `MIT License or Apache License 2.0`. Old
 * crates' `MIT/Apache-2.0` means OR. Unknown identifiers stay as they are.
 */
export function licenseWords(expression: string, names: Record<string, string>): string {
  return expression
    .split(/(\s+|\(|\)|\/)/)
    .map((token) => {
      if (token === '/' || token === 'OR') return ' or ';
      if (token === 'AND') return ' and ';
      if (token === 'WITH') return ' with ';
      return names[token] ?? token;
    })
    .join('')
    .replace(/\s+/g, ' ')
    .replace(/\( /g, '(')
    .replace(/ \)/g, ')')
    .trim();
}

/** The searchable text of a notice: name, version, licence (identifiers and words), note. */
function haystack(n: Notice, names: Record<string, string>): string {
  return [n.name, n.version, n.license, licenseWords(n.license, names), n.note ?? '', n.repository ?? '']
    .join('\n')
    .toLowerCase();
}

/** The notices matching every word of `query` (case-insensitive), in their order. */
export function filterNotices(list: Notice[], query: string, names: Record<string, string>): Notice[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return list;
  return list.filter((n) => {
    const text = haystack(n, names);
    return words.every((w) => text.includes(w));
  });
}

/** How many packages use each licence identifier, most used first (ties by name). */
export function licenseCounts(list: Notice[]): { id: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const n of list) {
    const ids = new Set(n.license.split(/[\s()/]+/).filter((t) => t && !['OR', 'AND', 'WITH'].includes(t)));
    for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return [...counts].map(([id, count]) => ({ id, count })).sort((a, b) => b.count - a.count || a.id.localeCompare(b.id));
}

/** "Linux only", "macOS and Windows only", or null when the package is in every build. */
export function platformsNote(n: Notice): string | null {
  if (!n.platforms?.length) return null;
  const words = n.platforms.map((p) => PLATFORM_NAMES[p]);
  const list = words.length === 1 ? words[0] : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
  return `${list} only`;
}

// When two names are the same client's (or two labels the same credential's): the core's rule
// (crates/core/src/words.rs `same_name`), tested against its samples in tests/names.test.ts.

/** Equal once trimmed, ignoring the case of ASCII letters only (as the database's NOCASE). */
export function sameName(a: string, b: string): boolean {
  const x = a.trim();
  const y = b.trim();
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) {
    const p = x.charCodeAt(i);
    const q = y.charCodeAt(i);
    if (p === q) continue;
    const lower = (c: number) => (c >= 65 && c <= 90 ? c + 32 : c);
    if (lower(p) !== lower(q)) return false;
  }
  return true;
}

/** A key two names share exactly when they are the same (sameName): for a lookup by name. */
export function nameKey(name: string): string {
  return name.trim().replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
}

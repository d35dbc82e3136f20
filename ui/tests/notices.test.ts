import { describe, expect, test } from 'vitest';
import committed from '../src/generated/notices.json';
import { filterNotices, licenseCounts, licenseWords, platformsNote, type Notice, type Notices } from '../src/lib/notices';

const NAMES = {
  MIT: 'MIT License',
  'Apache-2.0': 'Apache License 2.0',
  'LLVM-exception': 'LLVM Exception',
  'Unicode-3.0': 'Unicode License v3',
  'MPL-2.0': 'Mozilla Public License 2.0',
};

const LIST: Notice[] = [
  { name: 'tauri', version: '2.12.5', license: 'Apache-2.0 OR MIT', repository: 'https://github.com/tauri-apps/tauri' },
  { name: 'openssl', version: '0.10.82', license: 'Apache-2.0', repository: 'https://github.com/rust-openssl/rust-openssl' },
  { name: 'option-ext', version: '0.2.0', license: 'MPL-2.0', repository: null, platforms: ['linux'] },
  { name: 'old', version: '1.0.0', license: 'MIT/Apache-2.0', repository: null, platforms: ['macos', 'windows'] },
];

describe('licenseWords', () => {
  test('names each identifier and spells the operators', () => {
    expect(licenseWords('MIT OR Apache-2.0', NAMES)).toBe('MIT License or Apache License 2.0');
    expect(licenseWords('MIT/Apache-2.0', NAMES)).toBe('MIT License or Apache License 2.0');
    expect(licenseWords('Apache-2.0 WITH LLVM-exception OR MIT', NAMES)).toBe('Apache License 2.0 with LLVM Exception or MIT License');
    expect(licenseWords('(MIT OR Apache-2.0) AND Unicode-3.0', NAMES)).toBe('(MIT License or Apache License 2.0) and Unicode License v3');
  });

  test('keeps an identifier it has no name for', () => {
    expect(licenseWords('Foo-1.0 OR MIT', NAMES)).toBe('Foo-1.0 or MIT License');
  });
});

describe('filterNotices', () => {
  test('an empty query keeps everything', () => {
    expect(filterNotices(LIST, '  ', NAMES)).toBe(LIST);
  });

  test('matches names, identifiers and full licence names, every word, any case', () => {
    expect(filterNotices(LIST, 'OPENSSL', NAMES).map((n) => n.name)).toEqual(['openssl']);
    expect(filterNotices(LIST, 'mozilla', NAMES).map((n) => n.name)).toEqual(['option-ext']);
    expect(filterNotices(LIST, 'mit apache', NAMES).map((n) => n.name)).toEqual(['tauri', 'old']);
    expect(filterNotices(LIST, 'nothing-like-this', NAMES)).toEqual([]);
  });
});

test('licenseCounts counts each identifier once per package, most used first', () => {
  expect(licenseCounts(LIST)).toEqual([
    { id: 'Apache-2.0', count: 3 },
    { id: 'MIT', count: 2 },
    { id: 'MPL-2.0', count: 1 },
  ]);
});

test('platformsNote', () => {
  expect(platformsNote(LIST[0])).toBeNull();
  expect(platformsNote(LIST[2])).toBe('Linux only');
  expect(platformsNote(LIST[3])).toBe('macOS and Windows only');
});

describe('the committed notices (scripts/notices.mjs; npm test fails when they are stale)', () => {
  const notices = committed as Notices;
  const all = [...notices.rust.crates, ...notices.npm.packages];

  test('hold the app licence and the packages the app is known to ship', () => {
    expect(notices.app.license).toBe('MIT OR Apache-2.0');
    const rust = new Set(notices.rust.crates.map((c) => c.name));
    for (const name of ['tauri', 'rusqlite', 'openssl', 'keyring']) expect(rust).toContain(name);
    for (const name of ['criterion', 'proptest', 'icalendar', 'tauri-build']) expect(rust).not.toContain(name);
    const npm = new Set(notices.npm.packages.map((p) => p.name));
    for (const name of ['svelte', '@tauri-apps/api']) expect(npm).toContain(name);
    for (const name of ['vite', 'vitest', 'typescript']) expect(npm).not.toContain(name);
  });

  test('vendored OpenSSL only where the platform has none', () => {
    const src = notices.rust.crates.find((c) => c.name === 'openssl-src');
    expect(src?.platforms).toEqual(['macos', 'windows']);
  });

  test('name every licence they use', () => {
    const unnamed = licenseCounts(all).filter((c) => !(c.id in notices.licenses));
    expect(unnamed).toEqual([]);
  });
});

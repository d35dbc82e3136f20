#!/usr/bin/env node
// Writes ui/src/generated/notices.json: the open-source notices the About dialog shows, i.e.
// everything the shipped app is made of.
//
// - Rust: every crate compiled into the `tokenkeeper-app` binary and the `tokenkeeper` CLI the
//   installers carry beside it, per shipping platform: their normal dependencies for that target
//   (no dev or build dependencies, which never reach a binary), from `cargo tree --locked
//   --target <triple> -e normal`; licence and repository from `cargo metadata --locked`. One
//   exception: a build dependency named `*-src` (openssl-src, OpenSSL vendored on macOS and
//   Windows) is native source compiled and linked in.
// - npm: the runtime `dependencies` of ui/package.json with their transitive `dependencies`
//   (from ui/node_modules), plus every package whose modules actually end up in the Vite bundle
//   (svelte's runtime: a devDependency, yet compiled components import it). The bundle is built
//   in memory, ui/dist is not touched.
//
//   node scripts/notices.mjs           write the file
//   node scripts/notices.mjs --check   fail when the committed file is out of date (npm test)

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const uiDir = join(root, 'ui');
const outFile = join(uiDir, 'src', 'generated', 'notices.json');
const REGENERATE = 'node scripts/notices.mjs';
/**
 * The binaries the installers hold: the app, and the `tokenkeeper` command line that
 * scripts/build.sh packs beside it.
 */
const SHIPPED_PACKAGES = ['tokenkeeper-app', 'tokenkeeper'];

/** The platforms the release workflow builds, as `cargo metadata --filter-platform` triples. */
const PLATFORMS = {
  linux: ['x86_64-unknown-linux-gnu'],
  macos: ['aarch64-apple-darwin', 'x86_64-apple-darwin'],
  windows: ['x86_64-pc-windows-msvc'],
};

/**
 * Full names of the SPDX licence and exception identifiers in use (spdx.org/licenses). An
 * identifier missing here stops the generator, so a new licence is always looked at once.
 */
const LICENSE_NAMES = {
  '0BSD': 'BSD Zero Clause License',
  'Apache-2.0': 'Apache License 2.0',
  'BSD-1-Clause': 'BSD 1-Clause License',
  'BSD-2-Clause': 'BSD 2-Clause "Simplified" License',
  'BSD-3-Clause': 'BSD 3-Clause "New" or "Revised" License',
  'BSL-1.0': 'Boost Software License 1.0',
  'CC0-1.0': 'Creative Commons Zero v1.0 Universal',
  'CDLA-Permissive-2.0': 'Community Data License Agreement Permissive 2.0',
  'GPL-2.0-only': 'GNU General Public License v2.0 only',
  ISC: 'ISC License',
  'LGPL-2.1-or-later': 'GNU Lesser General Public License v2.1 or later',
  'LLVM-exception': 'LLVM Exception',
  MIT: 'MIT License',
  'MIT-0': 'MIT No Attribution',
  'MPL-2.0': 'Mozilla Public License 2.0',
  OpenSSL: 'OpenSSL License',
  'Unicode-3.0': 'Unicode License v3',
  'Unicode-DFS-2016': 'Unicode License Agreement - Data Files and Software (2016)',
  Unlicense: 'The Unlicense',
  Zlib: 'zlib License',
};

/** Crates that carry other software's source and build it into the binary: what and under what. */
const BUNDLED_SOURCE = {
  'openssl-src': (version) => `OpenSSL ${version.split('+')[1] ?? ''} built from source and linked in (Apache License 2.0)`,
  'libsqlite3-sys': () => 'SQLite built from source and linked in (public domain)',
};

/** SPDX identifiers of an expression; old crates write `MIT/Apache-2.0` for `MIT OR Apache-2.0`. */
export function licenseIds(expression) {
  return expression
    .split(/[\s()/]+/)
    .filter((t) => t && !['OR', 'AND', 'WITH'].includes(t));
}

function cargo(args) {
  return execFileSync('cargo', args, {
    cwd: root,
    maxBuffer: 256 * 1024 * 1024,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

/** `name@version` of every crate `cargo tree` lists for the shipped binaries on one target along `edges`. */
function treeOf(triple, edges) {
  const packages = SHIPPED_PACKAGES.flatMap((p) => ['-p', p]);
  const out = cargo(['tree', '--locked', '-q', ...packages, '--target', triple, '-e', edges, '--prefix', 'none', '-f', '{p}']);
  const ids = new Set();
  for (const line of out.split('\n')) {
    const m = /^(\S+) v(\S+)/.exec(line.trim());
    if (m) ids.add(`${m[1]}@${m[2]}`);
  }
  return ids;
}

/**
 * Crates in the shipped binaries for one target triple, as `name@version`. The set comes from `cargo
 * tree -e normal --target`, which resolves features the way the build does: per target and
 * without dev-dependencies. `cargo metadata`'s resolve graph cannot say this, its features are
 * unified over every platform and dev-dependency (walking it listed openssl-src on Linux and
 * 8 to 17 crates per target that the binary never contains).
 */
function appCrates(triple) {
  const normal = treeOf(triple, 'normal');
  for (const id of treeOf(triple, 'normal,build')) {
    if (id.split('@')[0].endsWith('-src')) normal.add(id);
  }
  return normal;
}

function repositoryOf(p) {
  let url = typeof p.repository === 'string' ? p.repository : (p.repository?.url ?? p.homepage ?? null);
  if (!url) return null;
  url = url.replace(/^git\+/, '').replace(/\/+$/, '').replace(/\.git$/, '').replace(/^git:\/\//, 'https://');
  const host = /^(github|gitlab|bitbucket):(.+)$/.exec(url);
  if (host) return `https://${host[1]}.${host[1] === 'bitbucket' ? 'org' : 'com'}/${host[2]}`;
  if (/^[\w-]+\/[\w.-]+$/.test(url)) return `https://github.com/${url}`;
  return url;
}

function rustNotices() {
  // Licence, repository and workspace membership of every locked crate.
  const meta = JSON.parse(cargo(['metadata', '--format-version', '1', '--locked']));
  const members = new Set(meta.workspace_members);
  const packages = new Map(meta.packages.map((p) => [`${p.name}@${p.version}`, p]));
  const byKey = new Map();
  for (const [os, triples] of Object.entries(PLATFORMS)) {
    for (const triple of triples) {
      for (const key of appCrates(triple)) {
        const p = packages.get(key);
        if (!p) throw new Error(`cargo tree lists ${key}, cargo metadata does not`);
        if (members.has(p.id)) continue;
        const entry = byKey.get(key) ?? {
          name: p.name,
          version: p.version,
          license: p.license ?? (p.license_file ? `see ${p.license_file}` : 'unknown'),
          repository: repositoryOf(p),
          ...(BUNDLED_SOURCE[p.name] ? { note: BUNDLED_SOURCE[p.name](p.version) } : {}),
          os: new Set(),
        };
        entry.os.add(os);
        byKey.set(key, entry);
      }
    }
  }
  const all = Object.keys(PLATFORMS);
  return [...byKey.values()]
    .sort((a, b) => a.name.localeCompare(b.name, 'en') || a.version.localeCompare(b.version, 'en', { numeric: true }))
    .map(({ os, ...rest }) => (os.size === all.length ? rest : { ...rest, platforms: all.filter((o) => os.has(o)) }));
}

/** The package.json of `name` as Node would find it from `fromDir` (nested node_modules first). */
function findPackage(name, fromDir) {
  let dir = fromDir;
  for (;;) {
    const candidate = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(candidate)) return { dir: dirname(candidate), json: JSON.parse(readFileSync(candidate, 'utf8')) };
    if (dir === uiDir || dir === dirname(dir)) break;
    dir = dirname(dir);
  }
  throw new Error(`npm package ${name} is not installed in ui/node_modules: run npm --prefix ui install`);
}

/** Names of the npm packages whose modules the production bundle holds. */
async function bundledPackages() {
  const require = createRequire(join(uiDir, 'package.json'));
  const vite = await import(pathToFileURL(require.resolve('vite')).href);
  const names = new Set();
  const previous = process.cwd();
  process.chdir(uiDir);
  try {
    await vite.build({
      root: uiDir,
      configFile: join(uiDir, 'vite.config.ts'),
      logLevel: 'silent',
      build: { write: false, emptyOutDir: false },
      plugins: [
        {
          name: 'tokenkeeper-notices',
          generateBundle(_options, bundle) {
            for (const chunk of Object.values(bundle)) {
              if (chunk.type !== 'chunk') continue;
              for (const id of Object.keys(chunk.modules)) {
                const path = id.replace(/^\0/, '').split('?')[0].split(sep).join('/');
                const at = path.lastIndexOf('/node_modules/');
                if (at < 0) continue;
                const parts = path.slice(at + '/node_modules/'.length).split('/');
                names.add(parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]);
              }
            }
          },
        },
      ],
    });
  } finally {
    process.chdir(previous);
  }
  return names;
}

async function npmNotices() {
  const manifest = JSON.parse(readFileSync(join(uiDir, 'package.json'), 'utf8'));
  const found = new Map();
  const visit = (name, fromDir, transitive) => {
    const { dir, json } = findPackage(name, fromDir);
    const key = `${json.name}@${json.version}`;
    if (found.has(key)) return;
    found.set(key, {
      name: json.name,
      version: json.version,
      license: typeof json.license === 'string' ? json.license : (json.license?.type ?? 'unknown'),
      repository: repositoryOf(json),
    });
    if (transitive) for (const dep of Object.keys(json.dependencies ?? {})) visit(dep, dir, true);
  };
  for (const name of Object.keys(manifest.dependencies ?? {})) visit(name, uiDir, true);
  // What the bundle really holds; their own dependencies are in the bundle scan when used.
  for (const name of await bundledPackages()) visit(name, uiDir, false);
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name, 'en'));
}

function appInfo() {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const cargo = readFileSync(join(root, 'Cargo.toml'), 'utf8');
  const cargoLicense = /^\s*license\s*=\s*"([^"]+)"/m.exec(cargo)?.[1];
  const repository = /^\s*repository\s*=\s*"([^"]+)"/m.exec(cargo)?.[1] ?? null;
  if (pkg.license !== cargoLicense) {
    throw new Error(`package.json says ${pkg.license} but Cargo.toml says ${cargoLicense}: make them agree`);
  }
  return { name: 'TokenKeeper', license: pkg.license, repository };
}

/** JSON with one package per line: readable diffs when a dependency moves. */
function render(notices) {
  const list = (items) => `[\n${items.map((i) => `      ${JSON.stringify(i)}`).join(',\n')}\n    ]`;
  return `{
  "generated_by": ${JSON.stringify(REGENERATE)},
  "app": ${JSON.stringify(notices.app)},
  "licenses": ${JSON.stringify(notices.licenses, null, 2).replace(/\n/g, '\n  ')},
  "rust": {
    "platforms": ${JSON.stringify(notices.platforms)},
    "crates": ${list(notices.rust)}
  },
  "npm": {
    "packages": ${list(notices.npm)}
  }
}
`;
}

async function generate() {
  const app = appInfo();
  const rust = rustNotices();
  const npm = await npmNotices();
  const used = new Set([app, ...rust, ...npm].flatMap((p) => licenseIds(p.license)));
  const unknown = [...used].filter((id) => !(id in LICENSE_NAMES));
  if (unknown.length) {
    throw new Error(`no full name for the licence identifier(s) ${unknown.join(', ')}: add them to LICENSE_NAMES in scripts/notices.mjs`);
  }
  const licenses = Object.fromEntries([...used].sort().map((id) => [id, LICENSE_NAMES[id]]));
  return render({ app, licenses, platforms: Object.keys(PLATFORMS), rust, npm });
}

const fresh = await generate();
const shown = relative(root, outFile);
if (process.argv.includes('--check')) {
  const committed = existsSync(outFile) ? readFileSync(outFile, 'utf8').replace(/\r\n/g, '\n') : '';
  if (committed !== fresh) {
    console.error(`${shown} is out of date with Cargo.lock / ui/package.json: run \`${REGENERATE}\` and commit it`);
    process.exit(1);
  }
  console.log(`${shown} is up to date`);
} else {
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, fresh);
  console.log(`wrote ${shown}`);
}

// Build the dashboard release the `dashboard` role ships to a Debian bookworm
// host (Node 18 from Debian, no compiler, no internet):
//
//   dist-dashboard/
//     package.json                      (marks the root: paths.ts finds public/ from it)
//     rosey-dashboard.mjs               (esbuild bundle of src/dashboard/main.ts, better-sqlite3 left out)
//     src/dashboard/public/             (the page)
//     node_modules/better-sqlite3/      (its JS + a native addon built HERE for the target's Node ABI)
//     node_modules/bindings, file-uri-to-path
//
// The addon cannot be built on the host (no compiler) nor downloaded there
// (no internet), and the controller's own build is for its Node (ABI 115 on
// Node 20), which Node 18 (ABI 108) refuses to load. So it is compiled on the
// controller against the headers of the target's Node: Debian's libnode-dev
// and libuv1-dev packages, fetched with `apt-get download` (no install) and
// unpacked into a node-gyp `--nodedir`. Needs g++, make and python3 on the
// controller (build-essential).
//
// The compiled addon (about 3 minutes of the build) is cached outside the
// repository, keyed by better-sqlite3's version and the target Node package's
// version, so every checkout on the machine and every later build reuses it:
// /var/cache/rosey-dashboard-addon as root, ~/.cache/rosey-dashboard-addon
// otherwise (ROSEY_ADDON_CACHE overrides). --no-cache rebuilds it.
//
// Usage: node scripts/build-dashboard.mjs [--outdir dist-dashboard] [--node-deb-version 18.20.4+dfsg-1~deb12u3] [--no-cache]
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    outdir: { type: 'string', default: join(root, 'dist-dashboard') },
    'node-deb-version': { type: 'string' },
    'no-cache': { type: 'boolean', default: false },
  },
});
const outdir = resolve(values.outdir);
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });

/** A node-gyp --nodedir holding the target Node's headers (node, v8, uv), from Debian's packages. */
function targetNodedir(work) {
  const pin = values['node-deb-version'] ? `=${values['node-deb-version']}` : '';
  run('apt-get', ['download', `libnode-dev${pin}`, 'libuv1-dev'], work);
  for (const deb of readdirSync(work).filter((f) => f.endsWith('.deb'))) run('dpkg', ['-x', deb, 'x'], work);
  const nodedir = join(work, 'nodedir');
  mkdirSync(join(nodedir, 'include'), { recursive: true });
  cpSync(join(work, 'x/usr/include/node'), join(nodedir, 'include/node'), { recursive: true });
  cpSync(join(work, 'x/usr/include/uv.h'), join(nodedir, 'include/node/uv.h'));
  cpSync(join(work, 'x/usr/include/uv'), join(nodedir, 'include/node/uv'), { recursive: true });
  const version = readFileSync(join(nodedir, 'include/node/node_version.h'), 'utf8');
  const abi = /#define NODE_MODULE_VERSION (\d+)/.exec(version)?.[1];
  return { nodedir, abi };
}

function nodeGyp() {
  const candidates = [
    join(dirname(process.execPath), '../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'),
    '/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
    '/usr/share/nodejs/node-gyp/bin/node-gyp.js',
  ];
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error('node-gyp not found (it comes with npm)');
  return found;
}

rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
await build({
  entryPoints: [join(root, 'src/dashboard/main.ts')],
  outfile: join(outdir, 'rosey-dashboard.mjs'),
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'esm',
  minifyWhitespace: true,
  legalComments: 'none',
  logLevel: 'warning',
  banner: { js: "/* eslint-disable */\nimport { createRequire as __roseyCreateRequire } from 'node:module'; const require = __roseyCreateRequire(import.meta.url);" },
  // The native addon (and the loader that finds it) stays a real package under node_modules.
  external: ['better-sqlite3'],
});
cpSync(join(root, 'src/dashboard/public'), join(outdir, 'src/dashboard/public'), { recursive: true });
const rootPkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
writeFileSync(join(outdir, 'package.json'), `${JSON.stringify({ name: 'rosey-dashboard', version: rootPkg.version, private: true, type: 'module' }, null, 2)}\n`);

const bsqVersion = JSON.parse(readFileSync(join(root, 'node_modules/better-sqlite3/package.json'), 'utf8')).version;
const cacheDir = join(cacheRoot(), `better-sqlite3-${bsqVersion}-node-${targetNodeVersion()}`.replace(/[^A-Za-z0-9.+_-]/g, '_'));
if (values['no-cache'] || !existsSync(join(cacheDir, 'NODE_ABI'))) buildAddon(cacheDir);
const dest = join(outdir, 'node_modules/better-sqlite3');
mkdirSync(join(dest, 'build/Release'), { recursive: true });
const src = join(root, 'node_modules/better-sqlite3');
for (const f of ['package.json', 'lib', 'LICENSE']) if (existsSync(join(src, f))) cpSync(join(src, f), join(dest, f), { recursive: true });
cpSync(join(cacheDir, 'better_sqlite3.node'), join(dest, 'build/Release/better_sqlite3.node'));
for (const dep of ['bindings', 'file-uri-to-path']) cpSync(join(root, 'node_modules', dep), join(outdir, 'node_modules', dep), { recursive: true });
const abi = readFileSync(join(cacheDir, 'NODE_ABI'), 'utf8').trim();
writeFileSync(join(outdir, 'NODE_ABI'), `${abi}\n`);
process.stdout.write(`built ${outdir} (better-sqlite3 for Node ABI ${abi}, addon from ${cacheDir})\n`);

function cacheRoot() {
  if (process.env.ROSEY_ADDON_CACHE) return resolve(process.env.ROSEY_ADDON_CACHE);
  return process.getuid?.() === 0 ? '/var/cache/rosey-dashboard-addon' : join(homedir(), '.cache/rosey-dashboard-addon');
}

/** The version of Debian's libnode-dev that would be fetched: the cache key, read offline from apt's lists. */
function targetNodeVersion() {
  if (values['node-deb-version']) return values['node-deb-version'];
  const show = execFileSync('apt-cache', ['show', '--no-all-versions', 'libnode-dev'], { encoding: 'utf8' });
  const v = /^Version: (.+)$/m.exec(show)?.[1];
  if (!v) throw new Error('apt-cache knows no libnode-dev: run apt-get update');
  return v;
}

/** Compile the addon into `into` (better_sqlite3.node + NODE_ABI), written whole or not at all. */
function buildAddon(into) {
  const work = mkdtempSync(join(tmpdir(), 'rosey-dashboard-build-'));
  try {
    const { nodedir, abi } = targetNodedir(work);
    const src = join(work, 'better-sqlite3');
    cpSync(join(root, 'node_modules/better-sqlite3'), src, { recursive: true });
    rmSync(join(src, 'build'), { recursive: true, force: true });
    run(process.execPath, [nodeGyp(), 'rebuild', '--release', `--nodedir=${nodedir}`, '-j', '2'], src);
    const tmp = `${into}.tmp-${process.pid}`;
    mkdirSync(tmp, { recursive: true });
    cpSync(join(src, 'build/Release/better_sqlite3.node'), join(tmp, 'better_sqlite3.node'));
    writeFileSync(join(tmp, 'NODE_ABI'), `${abi}\n`);
    rmSync(into, { recursive: true, force: true });
    renameSync(tmp, into);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

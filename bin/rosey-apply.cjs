#!/usr/bin/env node
// Starts the bundled CLI (dist/cli/rosey-apply.cjs, built by
// scripts/build-cli.mjs) from a V8 code cache: compiling the bundle was half
// of a bare start, and Node 20 has no compile cache of its own. The cache
// is keyed by the bundle's size and mtime and by the Node version, because
// V8 itself checks only the source's length. A missing, stale or rejected
// cache is rewritten when the run ends, if the folder is writable.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');

const bundle = path.join(__dirname, '..', 'dist', 'cli', 'rosey-apply.cjs');
const cacheFile = `${bundle}.v8cache`;

let source;
let stat;
try {
  // esbuild writes ASCII (it escapes the rest), and latin1 skips UTF-8 decoding
  source = fs.readFileSync(bundle, 'latin1');
  stat = fs.statSync(bundle);
} catch {
  process.stderr.write(`rosey-apply: ${bundle} is missing: run \`npm run build\` first\n`);
  process.exit(70);
}
const key = `rosey-v8cache ${process.version} ${stat.size} ${Math.trunc(stat.mtimeMs)}\n`;

function readCache() {
  try {
    const buf = fs.readFileSync(cacheFile);
    const head = Buffer.byteLength(key);
    return buf.subarray(0, head).toString('latin1') === key ? buf.subarray(head) : undefined;
  } catch {
    return undefined;
  }
}

const cachedData = readCache();
const script = new vm.Script(Module.wrap(source), {
  filename: bundle,
  cachedData,
  importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
});

if (!cachedData || script.cachedDataRejected) {
  // At exit, so the cache holds every function this run compiled, not just the top level.
  process.once('exit', () => {
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    try {
      fs.writeFileSync(tmp, Buffer.concat([Buffer.from(key, 'latin1'), script.createCachedData()]));
      fs.renameSync(tmp, cacheFile);
    } catch {
      fs.rmSync(tmp, { force: true });
    }
  });
}

// Node's built-in modules that the bundle names at its top level but a run
// may never use (child_process, net and crypto cost ~10 ms to load, and
// commander alone requires child_process): the bundle gets a stand-in that
// loads the real module at its first use. Only modules whose export is a
// plain object; the rest load as usual.
const LAZY = new Set(['child_process', 'net', 'dgram', 'crypto', 'readline', 'tls', 'http', 'https', 'zlib', 'dns', 'worker_threads', 'stream/promises']);
const realRequire = Module.createRequire(bundle);
const standIns = new Map();
function lazyBuiltin(id) {
  let real;
  const load = () => (real ??= realRequire(id));
  return new Proxy(
    {},
    {
      get: (_, k) => load()[k],
      has: (_, k) => k in load(),
      set: (_, k, v) => Reflect.set(load(), k, v),
      ownKeys: () => Reflect.ownKeys(load()),
      getOwnPropertyDescriptor: (_, k) => {
        const d = Reflect.getOwnPropertyDescriptor(load(), k);
        return d && { ...d, configurable: true };
      },
      defineProperty: (_, k, d) => Reflect.defineProperty(load(), k, d),
      deleteProperty: (_, k) => Reflect.deleteProperty(load(), k),
      getPrototypeOf: () => Reflect.getPrototypeOf(load()),
    },
  );
}
function bundleRequire(id) {
  const name = id.startsWith('node:') ? id.slice(5) : id;
  if (!LAZY.has(name)) return realRequire(id);
  if (!standIns.has(name)) standIns.set(name, lazyBuiltin(name));
  return standIns.get(name);
}
Object.assign(bundleRequire, { resolve: realRequire.resolve, cache: realRequire.cache, main: realRequire.main, extensions: realRequire.extensions });

const mod = new Module(bundle, module);
mod.filename = bundle;
script.runInThisContext().call(mod.exports, mod.exports, bundleRequire, mod, bundle, path.dirname(bundle));

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
  source = fs.readFileSync(bundle, 'utf8');
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

const mod = new Module(bundle, module);
mod.filename = bundle;
script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(bundle), mod, bundle, path.dirname(bundle));

#!/usr/bin/env -S -u NODE_EXTRA_CA_CERTS ROSEY_EXTRA_CA_CERTS=${NODE_EXTRA_CA_CERTS} node
// Starts the bundled CLI (dist/cli/rosey-apply.cjs, built by
// scripts/build-cli.mjs) from a V8 code cache: compiling the bundle was half
// of a bare start, and Node 20 has no compile cache of its own. Each cache
// is keyed by its bundle's size and mtime and by the Node version, because
// V8 itself checks only the source's length. A missing, stale or rejected
// cache is rewritten when the run ends, if the folder is writable.
//
// A cache holds the functions compiled before it was written: what a run
// compiles depends on what it did. A run whose tasks ran on hosts compiles
// the runner, the modules and the SSH session (without them in the cache a
// no-change run of the benchmark spent ~70 ms of its ~0.5 s compiling
// them). So each cache's header says how many task results the run that
// wrote it had ("warm-up" for none: a check, a listing, the build's run),
// and a run with at least twice as many replaces it. Caches thus follow the
// largest runs and are rewritten a handful of times at most. The engine
// reports its count in the global symbol `rosey.taskResults`
// (src/cli/code-cache.ts).
//
// The SSH client (node-ssh with ssh2) and the terminal view (listr2) are
// bundles of their own, each with its own cache, loaded when a run first
// needs them: a check or listing reads and maps 0.6 MB less.
// ROSEY_WARM_CODE_CACHE=1 (the build's warm-up run) loads them at the end
// too, so that their caches exist before the first real run.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');

// Node reads and parses NODE_EXTRA_CA_CERTS's file before any code runs:
// ~70 ms with Debian's ca-certificates.crt on the test VM, where `node -e 0`
// takes ~30 ms without it, in every run, though most make no TLS connection.
// The shebang (GNU or BSD env -S) hands it over as ROSEY_EXTRA_CA_CERTS
// instead. It goes back into the environment for the commands Rosey starts,
// and the engine adds its certificates to its own TLS connections
// (src/shared/extra-ca.ts). Started as `node bin/rosey-apply.cjs`, Node
// loads it as usual.
const movedCa = process.env.ROSEY_EXTRA_CA_CERTS;
if (movedCa !== undefined) {
  delete process.env.ROSEY_EXTRA_CA_CERTS;
  if (movedCa !== '') {
    process.env.NODE_EXTRA_CA_CERTS = movedCa;
    globalThis[Symbol.for('rosey.extraCaCerts')] = movedCa;
  }
}

const dist = path.join(__dirname, '..', 'dist', 'cli');
const bundle = path.join(dist, 'rosey-apply.cjs');
const VENDOR = { 'node-ssh': 'vendor-node-ssh.cjs', listr2: 'vendor-listr2.cjs' };

/** Every bundle compiled in this run, with the task results its accepted cache was written by (undefined: none accepted). */
const compiled = [];

/** The header's last word: `warm-up`, or `tasks=N` for a cache written by a run with N task results. */
const weightOf = (n) => (n > 0 ? `tasks=${n}` : 'warm-up');

/** The cache's data and the task results of the run that wrote it, when its header is this key's. */
function readCache(cacheFile, key) {
  try {
    const buf = fs.readFileSync(cacheFile);
    const nl = buf.indexOf(10);
    const header = buf.subarray(0, nl).toString('latin1');
    if (!header.startsWith(`${key} `)) return undefined;
    const weight = header.slice(key.length + 1);
    const tasks = weight === 'warm-up' ? 0 : /^tasks=[1-9][0-9]*$/.test(weight) ? Number(weight.slice(6)) : undefined;
    if (tasks === undefined) return undefined;
    return { data: buf.subarray(nl + 1), tasks };
  } catch {
    return undefined;
  }
}

/** Compiles a bundle from its cache; undefined when the file is missing. */
function compile(file) {
  let source;
  let stat;
  try {
    // esbuild writes ASCII (it escapes the rest), and latin1 skips UTF-8 decoding
    source = fs.readFileSync(file, 'latin1');
    stat = fs.statSync(file);
  } catch {
    return undefined;
  }
  const key = `rosey-v8cache ${process.version} ${stat.size} ${Math.trunc(stat.mtimeMs)}`;
  const cacheFile = `${file}.v8cache`;
  const cache = readCache(cacheFile, key);
  const script = new vm.Script(Module.wrap(source), {
    filename: file,
    cachedData: cache?.data,
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  // a rejected or missing cache is written whatever this run did
  compiled.push({ script, cacheFile, key, had: !cache || script.cachedDataRejected ? undefined : cache.tasks });
  return script;
}

// At exit, so a cache holds every function this run compiled, not just the top level.
process.once('exit', () => {
  if (process.env.ROSEY_WARM_CODE_CACHE) for (const id of Object.keys(VENDOR)) bundleRequire(id);
  const tasks = Number(globalThis[Symbol.for('rosey.taskResults')]) || 0;
  for (const { script, cacheFile, key, had } of compiled) {
    if (had !== undefined && (tasks === 0 || tasks < 2 * had)) continue;
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    const header = `${key} ${weightOf(tasks)}\n`;
    let fd;
    try {
      // opened first: in a read-only install this fails before the cache is serialised
      fd = fs.openSync(tmp, 'w');
      fs.writeFileSync(fd, Buffer.concat([Buffer.from(header, 'latin1'), script.createCachedData()]));
      fs.closeSync(fd);
      fs.renameSync(tmp, cacheFile);
    } catch {
      if (fd !== undefined) fs.rmSync(tmp, { force: true });
    }
  }
});

function run(file, script, req) {
  const mod = new Module(file, module);
  mod.filename = file;
  script.runInThisContext().call(mod.exports, mod.exports, req, mod, file, path.dirname(file));
  return mod.exports;
}

// Node's built-in modules that the bundle names at its top level but a run
// may never use (child_process, net and crypto cost ~10 ms to load, and
// commander alone requires child_process): the bundle gets a stand-in that
// loads the real module at its first use. Only modules whose export is a
// plain object; the rest load as usual.
const LAZY = new Set(['child_process', 'net', 'dgram', 'crypto', 'readline', 'tls', 'http', 'https', 'zlib', 'dns', 'worker_threads', 'stream/promises']);
const realRequire = Module.createRequire(bundle);
const loaded = new Map();

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

/** A library bundled on its own; from node_modules when its bundle is missing (a checkout built before the split). */
function vendor(id) {
  const file = path.join(dist, VENDOR[id]);
  const script = compile(file);
  return script ? run(file, script, Module.createRequire(file)) : realRequire(id);
}

function bundleRequire(id) {
  const name = id.startsWith('node:') ? id.slice(5) : id;
  if (!LAZY.has(name) && !Object.hasOwn(VENDOR, name)) return realRequire(id);
  if (!loaded.has(name)) loaded.set(name, LAZY.has(name) ? lazyBuiltin(name) : vendor(name));
  return loaded.get(name);
}
Object.assign(bundleRequire, { resolve: realRequire.resolve, cache: realRequire.cache, main: realRequire.main, extensions: realRequire.extensions });

const script = compile(bundle);
if (!script) {
  process.stderr.write(`rosey-apply: ${bundle} is missing: run \`npm run build\` first\n`);
  process.exit(70);
}
run(bundle, script, bundleRequire);

// Bundles the rosey-apply CLI into dist/cli/rosey-apply.cjs with esbuild: one
// CommonJS file instead of ~300 modules, and the SSH client and terminal view
// into bundles of their own beside it (loaded on first use). CommonJS because
// bin/rosey-apply.cjs compiles it with a V8 code cache (Node 20 has no
// compile cache for ES modules, and compiling the bundle was half of a bare
// start). The build then runs the CLI once so that the cache exists before
// the first real run. Run by `npm run build`.
// Usage: node scripts/build-cli.mjs
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'cli');
const outfile = join(outdir, 'rosey-apply.cjs');
rmSync(outdir, { recursive: true, force: true });

// ssh2 loads its optional native crypto binding relative to its own file;
// from the bundle it is found in node_modules instead.
const ssh2Native = {
  name: 'ssh2-native',
  setup(b) {
    b.onResolve({ filter: /sshcrypto\.node$/ }, () => ({ path: 'ssh2/lib/protocol/crypto/build/Release/sshcrypto.node', external: true }));
  },
};

// Handlebars requires the source-map library (11 modules run at start-up,
// 42 KB) only to write source maps of compiled templates, which it does only
// for precompile's srcName option: Rosey never asks for one. Where the
// require throws, Handlebars falls back to its own string builder
// (handlebars/dist/cjs/handlebars/compiler/code-gen.js), same output.
const noHandlebarsSourceMap = {
  name: 'no-handlebars-source-map',
  setup(b) {
    b.onResolve({ filter: /^source-map$/ }, (args) => (/[\\/]handlebars[\\/]/.test(args.importer) ? { path: 'source-map', namespace: 'left-out' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'left-out' }, () => ({ contents: 'throw new Error("source-map is left out of the bundle");', loader: 'js' }));
  },
};

// node-ssh uses one thing of ssh2: its Client. ssh2's index also loads its
// server, its HTTP agents (and with them Node's http and https) and its key
// generator, ~5 ms of every run that connects; the client alone is enough.
// node-ssh needs make-dir only to download a folder (getDirectory), which
// Rosey never does; make-dir checks Node's version with semver as it loads,
// and semver's ranges compile ~40 regular expressions: ~15 ms of every run
// that connects (no code cache holds a compiled RegExp).
const ssh2ClientOnly = {
  name: 'ssh2-client-only',
  setup(b) {
    const fromNodeSsh = (args) => /[\\/]node-ssh[\\/]/.test(args.importer);
    b.onResolve({ filter: /^ssh2$/ }, (args) => (fromNodeSsh(args) ? { path: 'ssh2-client', namespace: 'ssh2-client' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'ssh2-client' }, () => ({ contents: "module.exports = { Client: require('ssh2/lib/client.js') };", loader: 'js', resolveDir: root }));
    // cpu-features (a native addon, loaded at every connection, 2-10 ms here)
    // only decides whether chacha20 goes before or after AES-CTR in ssh2's
    // offer; without it ssh2 offers AES-GCM first, as it does on any CPU
    // with AES instructions, which is what is negotiated either way there.
    b.onResolve({ filter: /^cpu-features$/ }, () => ({ path: 'cpu-features', namespace: 'no-cpu-features' }));
    b.onLoad({ filter: /.*/, namespace: 'no-cpu-features' }, () => ({ contents: 'throw new Error("cpu-features is left out of the bundle");', loader: 'js' }));
    b.onResolve({ filter: /^make-dir$/ }, (args) => (fromNodeSsh(args) ? { path: 'make-dir', namespace: 'no-make-dir' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'no-make-dir' }, () => ({ contents: 'module.exports = () => { throw new Error("make-dir is left out of the bundle (node-ssh getDirectory)"); };', loader: 'js' }));
  },
};

// Two costs of ssh2's on the controller, per host. OpenSSL 3 (Node 20's) is
// slow to turn keys into and out of DER and PEM (`node
// bench/openssl-keys.cjs`, on the test VM: an X25519 public key exported as
// DER ~155 us, as JWK ~3 us; imported ~185 us against ~22 us; an Ed25519
// verify given a PEM ~400 us, given a key object ~180 us). ssh2 does all
// three in every key exchange: about 3 ms of the controller's CPU per host
// at 50 hosts. The same keys go through JWK instead, raw bytes either way.
// And every packet's random padding was a call into OpenSSL of its own
// (~750 calls for 50 hosts, ~30 us each there): the padding now comes from
// a pool that one call fills, each random byte used once. Each replacement
// must find its text as often as it says: a new ssh2 fails the build here
// rather than quietly dropping it.
const ssh2Crypto = {
  name: 'ssh2-crypto',
  setup(b) {
    const edits = {
      'crypto.js': [
        [
          "const { readUInt32BE, writeUInt32BE } = require('./utils.js');",
          "const { readUInt32BE, writeUInt32BE } = require('./utils.js');\nconst randomPad = (() => { const pool = Buffer.allocUnsafe(4096); let used = pool.length; return (buf, offset, size) => { if (size > pool.length - used) { randomFillSync(pool); used = 0; } pool.copy(buf, offset, used, used + size); used += size; }; })();",
        ],
        ['randomFillSync(packet, 5 + payloadLen, padLen);', 'randomPad(packet, 5 + payloadLen, padLen);', 7],
      ],
      'kex.js': [
        [
          "const key = this._keys.publicKey.export({ type: 'spki', format: 'der' });\n      return key.slice(-32); // HACK: avoids parsing DER/BER header",
          "return Buffer.from(this._keys.publicKey.export({ format: 'jwk' }).x, 'base64url');",
        ],
        [
          "publicKey: createPublicKey({\n            key: asnWriter.buffer,\n            type: 'spki',\n            format: 'der',\n          }),",
          "publicKey: createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: otherPublicKey.toString('base64url') }, format: 'jwk' }),",
        ],
      ],
      'keyParser.js': [
        [
          'return verify_(algo, data, pem, signature);',
          "return verify_(algo, data, this.type === 'ssh-ed25519' ? require('crypto').createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: this.getPublicSSH().subarray(19).toString('base64url') }, format: 'jwk' }) : pem, signature);",
        ],
      ],
    };
    b.onLoad({ filter: /[\\/]ssh2[\\/]lib[\\/]protocol[\\/](crypto|kex|keyParser)\.js$/ }, async (args) => {
      let text = await readFile(args.path, 'utf8');
      for (const [from, to, times = 1] of edits[basename(args.path)]) {
        if (text.split(from).length !== times + 1) throw new Error(`ssh2-crypto: ${args.path} no longer holds the text this build replaces ${times} time(s) (${JSON.stringify(from.slice(0, 60))}); check the new ssh2 and update scripts/build-cli.mjs`);
        text = text.split(from).join(to);
      }
      return { contents: text, loader: 'js' };
    });
  },
};

// What every bundle shares: CommonJS for Node 20, the few sources that need
// their own URL get their bundle's.
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  define: { 'import.meta.url': '__roseyModuleUrl' },
  banner: { js: 'const __roseyModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
};

// The SSH client and the terminal view are bundles of their own, loaded by
// bin/rosey-apply.cjs when a run first needs them (each with its own code
// cache): a check, a listing or a bad playbook never reads them (0.6 MB of
// the 1.5 MB). They share no module with the main bundle.
const vendors = { 'node-ssh': 'vendor-node-ssh.cjs', listr2: 'vendor-listr2.cjs' };

await build({
  ...common,
  entryPoints: [join(root, 'src', 'cli', 'main.ts')],
  outfile,
  plugins: [ssh2Native, noHandlebarsSourceMap],
  // Left in node_modules: better-sqlite3 is a native addon, cpu-features
  // (ssh2's optional helper) finds its addon by its own path, and ajv is
  // required only when a value fails validation (src/playbook/schema-check.ts).
  external: ['better-sqlite3', 'cpu-features', 'ajv', ...Object.keys(vendors)],
});
for (const [pkg, file] of Object.entries(vendors)) {
  await build({ ...common, entryPoints: [pkg], outfile: join(outdir, file), plugins: [ssh2Native, ssh2ClientOnly, ssh2Crypto] });
}

// The build's run writes the code caches (bin/rosey-apply.cjs). A syntax
// check of the benchmark's playbook compiles what every run compiles: the
// CLI, the inventory and playbook loaders, the checks. Its one host is never
// contacted. Its caches are marked "warm-up": the first run whose tasks run
// on a host replaces them with caches that hold the runner and modules too.
const warmDir = mkdtempSync(join(tmpdir(), 'rosey-build-'));
try {
  writeFileSync(join(warmDir, 'hosts.yml'), 'all:\n  children:\n    bench:\n      hosts:\n        a: {ansible_host: 192.0.2.1}\n');
  const playbook = join(root, 'bench', 'workload', 'rosey', 'site.yml');
  execFileSync(process.execPath, [join(root, 'bin', 'rosey-apply.cjs'), playbook, '-i', join(warmDir, 'hosts.yml'), '--syntax-check'], {
    cwd: warmDir,
    stdio: 'ignore',
    // the vendor bundles too (bin/rosey-apply.cjs loads them at the end of this run)
    env: { ...process.env, ROSEY_WARM_CODE_CACHE: '1' },
  });
} finally {
  rmSync(warmDir, { recursive: true, force: true });
}
process.stdout.write(`built ${outfile}${existsSync(`${outfile}.v8cache`) ? ' and its code cache' : ' (no code cache written)'}\n`);

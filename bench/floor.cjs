// The floor of a run over SSH, for bench/floor.sh: Node's start, the SSH
// client that Rosey loads (dist/cli/vendor-node-ssh.cjs, from its code
// cache as bin/rosey-apply.cjs loads it), a login to every host of the
// inventory at once with its host key checked, one `sudo -n true` on each
// (Rosey's hosts run their commands through sudo), and the end. No
// playbook, no facts, no record: what any run of any tool written this way
// cannot go below. Needs `npm run build`.
//
// It loads nothing of the engine, which is what it is measured against: so
// the few lines below that load the SSH bundle from its cache (as
// bin/rosey-apply.cjs's compile() does, without its bookkeeping) and read
// known_hosts (plain host names, as the harness writes them; the engine's
// reader is src/transport/known-hosts.ts) are its own.
// Usage: node bench/floor.cjs INVENTORY   (as the harness writes it: bench/lib/workspace.ts)
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');

const file = path.join(__dirname, '..', 'dist', 'cli', 'vendor-node-ssh.cjs');
const cache = (() => {
  try {
    const buf = fs.readFileSync(`${file}.v8cache`);
    return buf.subarray(buf.indexOf(10) + 1);
  } catch {
    return undefined;
  }
})();
const script = new vm.Script(Module.wrap(fs.readFileSync(file, 'latin1')), { filename: file, cachedData: cache });
const mod = new Module(file, module);
script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
const { NodeSSH } = mod.exports;

// The harness's inventory (bench/lib/workspace.ts: every host's variables
// on its own lines under `hosts:`), read line by line: the yaml library,
// loaded from node_modules without a code cache, took ~50 ms of the
// floor's start, which Rosey (from its cache) does not pay.
const hosts = [];
{
  let hostIndent;
  let host;
  for (const line of fs.readFileSync(process.argv[2], 'utf8').split('\n')) {
    const m = /^(\s*)([\w.-]+):\s*(.*?)\s*$/.exec(line);
    if (!m) continue;
    const [, indent, key, value] = m;
    if (key === 'hosts' && value === '') {
      hostIndent = -1;
    } else if (hostIndent === -1 || (hostIndent !== undefined && indent.length === hostIndent && value === '')) {
      hostIndent = indent.length;
      hosts.push((host = {}));
    } else if (hostIndent !== undefined && indent.length > hostIndent && host) {
      host[key] = /^\d+$/.test(value) ? Number(value) : value;
    } else {
      hostIndent = undefined;
    }
  }
}

/** The host's keys in a known_hosts file (plain host names), as ssh2 hands them to hostVerifier. */
function knownKeys(knownHosts, address) {
  return fs
    .readFileSync(knownHosts, 'utf8')
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length >= 3 && f[0].split(',').includes(address))
    .map((f) => Buffer.from(f[2], 'base64'));
}

let left = hosts.length;
for (const h of hosts) {
  const known = knownKeys(h.rosey_known_hosts_file, h.ansible_host);
  const ssh = new NodeSSH();
  ssh
    .connect({
      host: h.ansible_host,
      port: h.ansible_port ?? 22,
      username: h.ansible_user,
      privateKey: fs.readFileSync(h.ansible_ssh_private_key_file, 'utf8'),
      hostVerifier: (key) => known.some((k) => k.equals(key)),
    })
    .then(() => ssh.execCommand('sudo -n true'))
    .then((r) => {
      if (r.code !== 0) throw new Error(`${h.ansible_host}: sudo -n true exited ${r.code}: ${r.stderr}`);
      ssh.dispose();
      if (--left === 0) process.exit(0);
    })
    .catch((e) => {
      process.stderr.write(`floor: ${e.message}\n`);
      process.exit(1);
    });
}

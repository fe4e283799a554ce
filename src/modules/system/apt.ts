import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { Type, type Static } from '@sinclair/typebox';
import { packageFact, type PackageFacts } from '../../facts/packages.js';
import { APT_UPDATE_STAMP, STATE_ROOT } from '../../transport/host-paths.js';
import { raw, sh, type Cmd } from '../../transport/quote.js';
import { defineModule, ModuleFailure, type ApplyContext, type Change, type PrepareContext } from '../types.js';
import { STRICT } from '../args.js';

export const AptArgs = Type.Object(
  {
    name: Type.Optional(
      Type.Union([Type.String({ minLength: 1 }), Type.Array(Type.String({ minLength: 1 }))], {
        description: 'A package, a list of them, or "a,b". `name=version` asks for that exact version.',
      }),
    ),
    state: Type.Optional(
      Type.Union([Type.Literal('present'), Type.Literal('absent'), Type.Literal('latest')], {
        default: 'present',
        description: 'present: installed (any version unless one is given); latest: the newest the sources offer; absent: removed.',
      }),
    ),
    update_cache: Type.Optional(Type.Boolean({ default: false, description: 'Run `apt-get update` first (with cache_valid_time: only when the index is older).' })),
    cache_valid_time: Type.Optional(Type.Integer({ minimum: 0, description: 'Seconds: with update_cache, skip the update when the index is younger than this.' })),
    deb: Type.Optional(Type.String({ minLength: 1, description: "A .deb file on the controller (relative: the role's files/, then the playbook's): uploaded and installed with its dependencies." })),
  },
  { ...STRICT, description: 'Manage Debian packages with apt.' },
);

type Args = Static<typeof AptArgs>;

interface Wanted {
  name: string;
  version?: string;
}

export interface AptSpec {
  packages: Wanted[];
  state: 'present' | 'absent' | 'latest';
  update: boolean;
  validFor?: number;
  deb?: { name: string; version: string; bytes: Uint8Array; file: string };
}

export type AptData = { kind: 'update' } | { kind: 'install'; words: string[] } | { kind: 'remove'; names: string[] } | { kind: 'deb'; bytes: Uint8Array };

function parseNames(name: Args['name']): Wanted[] {
  const list = name === undefined ? [] : typeof name === 'string' ? name.split(',') : name;
  return list
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const eq = s.indexOf('=');
      return eq > 0 ? { name: s.slice(0, eq), version: s.slice(eq + 1) } : { name: s };
    });
}

/** Package name and version of a local .deb: dpkg-deb on the controller (the host has not seen the file yet). */
async function debInfo(file: string): Promise<{ name: string; version: string }> {
  try {
    const { stdout } = await promisify(execFile)('dpkg-deb', ['--show', '--showformat=${Package}\\n${Version}\\n', file]);
    const [name, version] = stdout.split('\n');
    if (!name || !version) throw new Error('no Package/Version in its control file');
    return { name, version };
  } catch (err) {
    throw new ModuleFailure(`apt: cannot read ${file} as a .deb (${(err as Error).message.split('\n')[0]}); the controller needs dpkg-deb`);
  }
}

async function prepare(a: Args, ctx: PrepareContext): Promise<AptSpec> {
  const packages = parseNames(a.name);
  if (!packages.length && !a.deb && !a.update_cache) throw new ModuleFailure('apt needs "name", "deb" or "update_cache"');
  let deb: AptSpec['deb'];
  if (a.deb !== undefined) {
    const file = ctx.resolveSource(a.deb, 'files');
    deb = { ...(await debInfo(file)), bytes: await readFile(file), file: a.deb };
  }
  return { packages, state: a.state ?? 'present', update: a.update_cache ?? false, validFor: a.cache_valid_time, deb };
}

function plan(f: PackageFacts, s: AptSpec): Change<AptData>[] {
  const out: Change<AptData>[] = [];
  const update = s.update && (s.validFor === undefined || f.cacheAge === undefined || f.cacheAge > s.validFor);
  if (update) out.push({ action: 'update', summary: 'update the package index (apt-get update)', data: { kind: 'update' } });
  const state = (n: string) => f.packages[n] ?? {};
  if (s.state === 'absent') {
    const gone = s.packages.filter((p) => state(p.name).installed !== undefined).map((p) => p.name);
    if (gone.length) out.push({ action: 'delete', summary: `remove ${gone.join(', ')}`, data: { kind: 'remove', names: gone } });
    return out;
  }
  const words: string[] = [];
  const what: string[] = [];
  for (const p of s.packages) {
    const { installed, candidate } = state(p.name);
    const want = p.version ?? (s.state === 'latest' || installed === undefined ? candidate : installed);
    if (installed !== undefined && (want === undefined || want === installed)) continue;
    if (want === undefined && !update) throw new ModuleFailure(`apt: no package "${p.name}" in the host's apt sources (update_cache: true refreshes them)`);
    words.push(p.version ? `${p.name}=${p.version}` : p.name);
    what.push(`${p.name}${want ? ` ${installed ? `${installed} → ` : ''}${want}` : ''}`);
  }
  if (words.length) out.push({ action: 'update', summary: `install ${what.join(', ')}`, data: { kind: 'install', words } });
  if (s.deb && state(s.deb.name).installed !== s.deb.version) {
    out.push({ action: 'update', summary: `install ${s.deb.name} ${s.deb.version} from ${s.deb.file}`, data: { kind: 'deb', bytes: s.deb.bytes } });
  }
  return out;
}

const APT = raw('DEBIAN_FRONTEND=noninteractive apt-get -y -q -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold');

function command(d: AptData): Cmd {
  switch (d.kind) {
    case 'update':
      return sh`apt-get update -q && mkdir -p ${STATE_ROOT} && touch ${APT_UPDATE_STAMP}`;
    case 'install':
      return sh`${APT} install ${d.words}`;
    case 'remove':
      return sh`${APT} remove ${d.names}`;
    case 'deb':
      // the size check refuses a .deb cut short by a dropped connection
      return sh`t=$(mktemp --suffix=.deb) && cat > "$t" && [ "$(wc -c < "$t")" -eq ${d.bytes.byteLength} ] && chmod 0644 "$t" && ${APT} install "$t"; rc=$?; rm -f "$t"; exit $rc`;
  }
}

async function apply(c: Change<AptData>, ctx: ApplyContext): Promise<void> {
  const r = await ctx.run(command(c.data), c.data.kind === 'deb' ? { stdin: c.data.bytes } : undefined);
  if (r.rc !== 0) {
    const why = r.stderr.trim().split('\n').slice(-5).join('\n') || `exit ${r.rc}`;
    throw new ModuleFailure(`could not ${c.summary}: ${why}`, { rc: r.rc, stdout: r.stdout, stderr: r.stderr });
  }
}

export const apt = defineModule({
  name: 'apt',
  volatileFacts: ['cacheAge'],
  description: 'Install, upgrade or remove Debian packages (a name, a list, name=version, or a local .deb), refreshing the index when it is older than asked.',
  args: AptArgs,
  prepare,
  facts: (s: AptSpec) => packageFact([...new Set([...s.packages.map((p) => p.name), ...(s.deb ? [s.deb.name] : [])])]),
  plan,
  apply,
});

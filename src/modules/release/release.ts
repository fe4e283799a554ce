import { posix } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { releaseFact, type ReleaseFacts } from '../../facts/releases.js';
import { joinCmds, raw, sh, type Cmd } from '../../transport/quote.js';
import { defineModule, ModuleFailure, type ApplyContext, type Change, type PrepareContext } from '../types.js';
import { STRICT } from '../args.js';
import { bundle, type Bundle } from './bundle.js';

const ID = '^[A-Za-z0-9][A-Za-z0-9._+-]*$';

export const ReleaseArgs = Type.Object(
  {
    base: Type.String({ minLength: 2, pattern: '^/', description: 'The app folder on the host: releases go to <base>/releases/<id>, <base>/current links to one.' }),
    src: Type.Optional(Type.String({ minLength: 1, description: "state=present: a local folder or .tar/.tar.gz/.tgz/.tar.xz archive (relative: the role's files/, then the playbook's)." })),
    id: Type.Optional(
      Type.String({ pattern: ID, description: 'present: the release name (default: a hash of the content, so the same content is the same release); rollback: the release to go back to (default: the one before current).' }),
    ),
    keep: Type.Optional(Type.Integer({ minimum: 1, default: 5, description: 'Releases kept (newest first); the current and the previous one are never removed.' })),
    state: Type.Optional(Type.Union([Type.Literal('present'), Type.Literal('rollback')], { default: 'present', description: 'present: deploy src and make it current; rollback: make an older release current.' })),
  },
  { ...STRICT, description: 'Deploy a release and flip <base>/current to it, or roll back.' },
);

type Args = Static<typeof ReleaseArgs>;

export interface ReleaseSpec {
  base: string;
  state: 'present' | 'rollback';
  id?: string;
  keep: number;
  bundle?: Bundle;
}

export type ReleaseData = { base: string } & ({ kind: 'flip'; id: string; upload?: Bundle } | { kind: 'prune'; ids: string[] });

async function prepare(a: Args, ctx: PrepareContext): Promise<ReleaseSpec> {
  const state = a.state ?? 'present';
  const spec: ReleaseSpec = { base: a.base.replace(/\/+$/, ''), state, id: a.id, keep: a.keep ?? 5 };
  if (state === 'rollback') {
    if (a.src !== undefined) throw new ModuleFailure('release: state=rollback takes no "src"');
    return spec;
  }
  if (a.src === undefined) throw new ModuleFailure('release: state=present needs "src", the folder or archive to deploy');
  const b = await bundle(ctx.resolveSource(a.src, 'files'));
  return { ...spec, bundle: b, id: a.id ?? b.digest.slice(0, 12) };
}

/** The release deployed before `id` (the next older one), if any. */
function olderThan(f: ReleaseFacts, id: string | undefined): string | undefined {
  const i = id === undefined ? -1 : f.releases.indexOf(id);
  return i < 0 ? undefined : f.releases[i + 1];
}

/** Where current goes, and what it was. */
function target(f: ReleaseFacts, s: ReleaseSpec): { id: string; previous?: string } {
  if (s.state === 'present') return { id: s.id!, previous: f.current === s.id ? olderThan(f, s.id) : f.current };
  const id = s.id ?? olderThan(f, f.current);
  if (id === undefined) throw new ModuleFailure(`release: no release before ${f.current ?? '(none)'} in ${s.base}/releases to roll back to`);
  if (!f.releases.includes(id)) throw new ModuleFailure(`release: ${s.base}/releases/${id} does not exist (releases: ${f.releases.join(', ') || 'none'})`);
  return { id, previous: f.current === id ? olderThan(f, id) : f.current };
}

function plan(f: ReleaseFacts, s: ReleaseSpec): Change<ReleaseData>[] {
  const t = target(f, s);
  const out: Change<ReleaseData>[] = [];
  const exists = f.releases.includes(t.id);
  if (f.current !== t.id) {
    const upload = s.state === 'present' && !exists ? s.bundle : undefined;
    out.push({
      action: 'update',
      summary: `${upload ? 'upload release' : s.state === 'rollback' ? 'roll back to release' : 'switch to release'} ${t.id}, current → releases/${t.id}`,
      path: `${s.base}/current`,
      attrs: { target: [f.current === undefined ? undefined : `releases/${f.current}`, `releases/${t.id}`] },
      data: { base: s.base, kind: 'flip', id: t.id, ...(upload ? { upload } : {}) },
    });
  }
  // newest first, a new release being the newest; current and previous always stay
  const order = exists ? f.releases : [t.id, ...f.releases];
  const old = order.slice(s.keep).filter((r) => r !== t.id && r !== t.previous && new RegExp(ID).test(r));
  if (old.length) out.push({ action: 'delete', summary: `remove old releases ${old.join(', ')}`, data: { base: s.base, kind: 'prune', ids: old } });
  return out;
}

/**
 * Unpack the stream into a temp folder beside the releases, then rename: a
 * cut upload never looks like a release. `touch` gives the folder the deploy
 * time (tar restored the source folder's), which orders releases newest first.
 */
function uploadCmd(releases: string, id: string, b: Bundle, created: Cmd): Cmd {
  const dest = posix.join(releases, id);
  return sh`t=$(mktemp -d ${`${releases}/.rosey-upload-XXXXXX`}) && trap 'rm -rf "$t" "$t.tar"' EXIT && cat > "$t.tar" && [ "$(wc -c < "$t.tar")" -eq ${b.bytes.byteLength} ] && tar ${raw(`-x${b.tarFlag}f`)} "$t.tar" --no-same-owner -C "$t" && rm -f "$t.tar" && chmod 0755 "$t" && touch "$t" && mv -T "$t" ${dest} && trap - EXIT && ${created}`;
}

async function apply(c: Change<ReleaseData>, ctx: ApplyContext): Promise<void> {
  const d = c.data;
  const base = d.base;
  const releases = `${base}/releases`;
  let cmd: Cmd;
  if (d.kind === 'prune') cmd = sh`rm -rf -- ${d.ids.map((id) => posix.join(releases, id))}`;
  else {
    const current = `${base}/current`;
    const link = `${base}/.current.rosey-${d.id}`;
    // ln -sfn to a temp name, then mv -T: rename(2) swaps the link in one step
    const flip = sh`ln -sfn ${`releases/${d.id}`} ${link} && ${ctx.backup(current)} && mv -T ${link} ${current}`;
    const steps = [sh`mkdir -p ${releases}`, ...(d.upload ? [uploadCmd(releases, d.id, d.upload, ctx.created(posix.join(releases, d.id), 'directory'))] : []), flip];
    cmd = joinCmds(steps, '&&');
  }
  const r = await ctx.run(cmd, d.kind === 'flip' && d.upload ? { stdin: d.upload.bytes } : undefined);
  if (r.rc !== 0) throw new ModuleFailure(`could not ${c.summary}: ${r.stderr.trim() || `exit ${r.rc}`}`, { rc: r.rc, stderr: r.stderr });
}

export const release = defineModule({
  name: 'release',
  argAliases: { path: 'base', dest: 'base', keep_releases: 'keep', release: 'id' },
  description: 'Upload a folder or archive as <base>/releases/<id> in one stream and flip <base>/current to it atomically, keeping `keep` releases; or roll current back. Registers release.id and release.previous.',
  args: ReleaseArgs,
  prepare,
  facts: (s: ReleaseSpec) => releaseFact(s.base),
  plan,
  result(f: ReleaseFacts, s: ReleaseSpec) {
    const t = target(f, s);
    return { release: { id: t.id, previous: t.previous ?? null, path: `${s.base}/releases/${t.id}` } };
  },
  apply,
});

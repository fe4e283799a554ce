import { Type, type Static } from '@sinclair/typebox';
import { fileState, type FileState } from '../../facts/file-state.js';
import { defineModule } from '../types.js';
import { STRICT } from '../args.js';

export const StatArgs = Type.Object(
  {
    path: Type.String({ minLength: 1, description: 'The path on the host.' }),
    follow: Type.Optional(Type.Boolean({ default: false, description: 'Report what a symlink points to instead of the link.' })),
    get_checksum: Type.Optional(Type.Boolean({ default: true, description: 'Accepted for Ansible compatibility; regular files always get `checksum` (sha256).' })),
  },
  { ...STRICT, description: 'Read what is at a path.' },
);

type Args = Static<typeof StatArgs>;

/** Ansible's `stat` result keys, so `when: st.stat.exists and st.stat.isdir` reads the same. */
function statResult(f: FileState, a: Args): Record<string, unknown> {
  if (!f.exists) return { stat: { exists: false, path: a.path } };
  return {
    stat: {
      exists: true,
      path: a.path,
      isreg: f.type === 'file',
      isdir: f.type === 'directory',
      islnk: f.type === 'link',
      mode: f.mode,
      uid: f.uid,
      gid: f.gid,
      pw_name: f.owner,
      gr_name: f.group,
      size: f.size,
      ...(f.sha256 ? { checksum: f.sha256 } : {}),
      ...(f.linkTarget !== undefined ? { lnk_source: f.linkTarget, lnk_target: f.linkTarget } : {}),
    },
  };
}

export const stat = defineModule({
  name: 'stat',
  description: 'Read the type, mode, owner, size and sha256 of a path into a registered variable; never changes anything.',
  args: StatArgs,
  facts: (a: Args) => fileState(a.path, { follow: a.follow ?? false }),
  plan: () => [],
  result: statResult,
  apply: async () => undefined,
});

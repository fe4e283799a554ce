import { createHash } from 'node:crypto';
import { fileState, type FileState } from '../../facts/file-state.js';
import type { Fact } from '../../facts/types.js';
import { ModuleFailure, type ApplyContext, type Change } from '../types.js';
import { describeAttrs, diffAttrs, hasAttrs, runOrFail, setAttrsCmd, type SetAttrs, type WantedAttrs } from './attrs.js';
import { asText } from '../../facts/parse.js';

/** A whole file a module wants at `path` (copy, template): content known on the controller. */
export interface WantedFile {
  path: string;
  bytes: Uint8Array;
  sha256: string;
  attrs: WantedAttrs;
  validate?: string;
  /** false: leave an existing file's content alone (Ansible's force: no) */
  force: boolean;
}

export type FileData = { kind: 'write'; bytes: Uint8Array; set: SetAttrs; validate?: string } | { kind: 'attrs'; set: SetAttrs };

export function wantedFile(path: string, bytes: Uint8Array, rest: Omit<WantedFile, 'path' | 'bytes' | 'sha256'>): WantedFile {
  return { path, bytes, sha256: createHash('sha256').update(bytes).digest('hex'), ...rest };
}

/** The file's state, with its old content only when it differs from the wanted one (for the diff). */
export function wantedFileFact(want: WantedFile): Fact<FileState> {
  return fileState(want.path, { withContent: true, contentUnlessSha256: want.sha256 });
}

/**
 * Changes that bring `path` to the wanted content and attributes: none, one
 * write (content and attributes in one atomic install), or one attribute
 * change. A link or special file at `path` is replaced by the file.
 */
export function planFile(state: FileState, want: WantedFile): Change<FileData>[] {
  const path = want.path;
  if (state.exists && state.type === 'directory') {
    throw new ModuleFailure(`${path} is a directory: name the file to write (end dest with "/" to copy into it)`);
  }
  const present = state.exists ? state : undefined;
  const after = asText(want.bytes);
  if (!present || present.type !== 'file' || (want.force && present.sha256 !== want.sha256)) {
    // a replaced link/device takes the new file's default attributes, not its own
    const old = present?.type === 'file' ? present : undefined;
    const { set, attrs } = diffAttrs(old, want.attrs, false);
    // name every attribute of a replaced file, so none is lost to the temp file's defaults
    if (old) Object.assign(set, { mode: set.mode ?? old.mode, owner: set.owner ?? old.owner, group: set.group ?? old.group });
    const change: Change<FileData> = {
      action: present ? 'update' : 'create',
      summary: !present ? `create ${path}` : present.type === 'file' ? `update ${path}` : `replace ${present.type} ${path} with a file`,
      path,
      data: { kind: 'write', bytes: want.bytes, set, validate: want.validate },
    };
    const before = present?.type === 'file' ? present.content : '';
    if (after !== undefined && before !== undefined) change.content = { before, after };
    if (present && present.type !== 'file') attrs.type = [present.type, 'file'];
    if (Object.keys(attrs).length) change.attrs = attrs;
    return [change];
  }
  const { set, attrs } = diffAttrs(present, want.attrs, false);
  if (!hasAttrs(set)) return [];
  return [{ action: 'update', summary: `set ${describeAttrs(attrs)} on ${path}`, path, attrs, data: { kind: 'attrs', set } }];
}

export async function applyFile(change: Change<FileData>, ctx: ApplyContext): Promise<void> {
  const path = change.path!;
  const d = change.data;
  if (d.kind === 'write') await ctx.writeFile(path, d.bytes, { ...d.set, validate: d.validate });
  else await runOrFail(ctx, setAttrsCmd(path, d.set), `could not set attributes of ${path}`);
}

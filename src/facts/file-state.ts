import { sh, type Cmd } from '../transport/quote.js';
import { fileStatesCmd } from './file-states.js';
import type { Fact } from './types.js';
import { asText, cQuoted, FactError, fromBase64, keyValues, requireKey, toInt } from './parse.js';

export type FileType = 'file' | 'directory' | 'link' | 'other';

/** What is at a path on the host. */
export type FileState = MissingFile | PresentFile;

export interface MissingFile {
  exists: false;
}

export interface PresentFile {
  exists: true;
  type: FileType;
  /** 4-digit octal, e.g. "0644", "4755" */
  mode: string;
  /** user name, or the uid as text when the uid has no name */
  owner: string;
  uid: number;
  group: string;
  gid: number;
  size: number;
  /** regular files the host could read */
  sha256?: string;
  /** links: where the link points (as written, not resolved) */
  linkTarget?: string;
  /**
   * Regular text files, when asked for and small enough: the whole content.
   * Undefined for binary files (`binary` is then true), big files, unreadable
   * files, and when `contentUnlessSha256` matched.
   */
  content?: string;
  binary?: boolean;
  /** read following links (`follow`): the path itself is a link, and the rest describes where it points */
  viaLink?: true;
}

export interface FileStateOptions {
  /** fetch the content of regular files up to `maxContentBytes` (default false) */
  withContent?: boolean;
  /** largest content fetched, in bytes (default 1 MiB) */
  maxContentBytes?: number;
  /**
   * Fetch content only when the file's sha256 differs from this one: the
   * content is then needed for a diff, and never transferred just to compare.
   */
  contentUnlessSha256?: string;
  /** report what a symlink points to instead of the link (stat -L); a dangling link is still a link */
  follow?: boolean;
}

export const DEFAULT_MAX_CONTENT = 1024 * 1024;

/**
 * The state of one path in one command: type, mode, owner, group, size,
 * sha256, link target and optionally content. Paths, link targets and
 * contents travel quoted or base64-encoded, so any byte survives. Always
 * exits 0; a missing path is `exists=0`.
 */
export function fileState(path: string, opts: FileStateOptions = {}): Fact<FileState> {
  const reads = [{ path, opts }];
  let command: Cmd | undefined;
  return {
    // built when a read of this path alone needs it: a batch reads all its
    // files in one command of its own (a template loop predicts many items
    // whose single-path commands were built for nothing, ~0.2 ms each)
    get command(): Cmd {
      return (command ??= fileStatesCmd(reads));
    },
    parse: parseFileState,
    files: { reads, build: (s: readonly FileState[]) => s[0]! },
    // following a link reads wherever it points: only a path that was no link (nor a dangling one) promises to be all it read
    ...(opts.follow ? { pathsOf: (s: FileState) => (s.exists && (s.viaLink || s.type === 'link') ? undefined : [path]) } : { paths: [path] }),
  };
}

const TYPES: readonly FileType[] = ['file', 'directory', 'link', 'other'];

export function parseFileState(stdout: string): FileState {
  const kv = keyValues(stdout);
  const what = 'file state';
  const exists = requireKey(kv, 'exists', what);
  if (exists === '0') return { exists: false };
  const type = requireKey(kv, 'type', what) as FileType;
  if (!TYPES.includes(type)) throw new FactError(`${what}: unknown type ${JSON.stringify(type)}`);
  const uid = toInt(kv.get('uid'), what);
  const gid = toInt(kv.get('gid'), what);
  const owner = requireKey(kv, 'owner', what);
  const group = requireKey(kv, 'group', what);
  const state: PresentFile = {
    exists: true,
    type,
    mode: requireKey(kv, 'mode', what).padStart(4, '0'),
    owner: owner === 'UNKNOWN' ? String(uid) : owner,
    uid,
    group: group === 'UNKNOWN' ? String(gid) : group,
    gid,
    size: toInt(kv.get('size'), what),
  };
  const sha = kv.get('sha256');
  if (sha) state.sha256 = sha;
  if (kv.get('via_link') === '1') state.viaLink = true;
  if (type === 'link') {
    const [, target] = cQuoted(requireKey(kv, 'name', what), what);
    if (target === undefined) throw new FactError(`${what}: the link's target is missing`);
    state.linkTarget = target.toString('utf8');
  }
  const content = kv.get('content');
  if (content !== undefined) {
    const text = asText(fromBase64(content));
    if (text === undefined) state.binary = true;
    else state.content = text;
  }
  return state;
}

/** Does anything exist at `path` (a dangling link counts)? */
export function pathExists(path: string): Fact<boolean> {
  return {
    command: sh`if [ -e ${path} ] || [ -L ${path} ]; then echo exists=1; else echo exists=0; fi`,
    parse: (stdout) => requireKey(keyValues(stdout), 'exists', 'path exists') === '1',
  };
}

import { Type, type Static } from '@sinclair/typebox';
import { fileState, type FileState, type PresentFile } from '../../facts/file-state.js';
import { combineFacts } from '../../facts/combine.js';
import { treeDrift } from '../../facts/tree.js';
import type { Fact } from '../../facts/types.js';
import { defineModule, ModuleFailure, type Change } from '../types.js';
import { AttrProps, STRICT } from '../args.js';
import { describeAttrs, diffAttrs, hasAttrs, wantedAttrs, type SetAttrs, type WantedAttrs } from './attrs.js';
import { applyFileState, type FileStateData } from './file-apply.js';

const STATES = ['file', 'directory', 'touch', 'absent', 'link'] as const;

export const FileArgs = Type.Object(
  {
    path: Type.String({ minLength: 1, description: 'Absolute path on the host.' }),
    state: Type.Optional(
      Type.Union(
        STATES.map((s) => Type.Literal(s)),
        {
          description:
            'file: must exist, set its attributes; directory: create it and its parents; touch: create an empty file if missing; absent: remove it (recursively); link: a symlink to `src`. Default: link when src is set, directory when recurse is, else file.',
        },
      ),
    ),
    ...AttrProps,
    src: Type.Optional(Type.String({ minLength: 1, description: 'state=link: what the link points to, written as given (relative to the link\'s folder when relative).' })),
    recurse: Type.Optional(Type.Boolean({ default: false, description: 'state=directory: set owner, group and mode on everything below too (mode must then be octal).' })),
    force: Type.Optional(Type.Boolean({ default: false, description: 'state=link: replace a file or other non-directory at path with the link.' })),
  },
  { ...STRICT, description: 'Manage a path: directory, empty file, symlink, absence, and its mode/owner/group.' },
);

type FileArgsT = Static<typeof FileArgs>;
type State = (typeof STATES)[number];

/** The file module's arguments, checked and normalised on the controller. */
export interface FileSpec {
  path: string;
  state: State;
  attrs: WantedAttrs;
  src?: string;
  recurse: boolean;
  force: boolean;
}

export interface FileFacts {
  state: FileState;
  /** recurse: something below the directory differs */
  drift: boolean;
}

function normalize(args: FileArgsT): FileSpec {
  const state: State = args.state ?? (args.src !== undefined ? 'link' : args.recurse ? 'directory' : 'file');
  if (state === 'link' && args.src === undefined) throw new ModuleFailure('file: state=link needs "src", the link target');
  if (args.src !== undefined && state !== 'link') throw new ModuleFailure(`file: "src" only applies to state=link, not ${state}`);
  if (args.recurse && state !== 'directory') throw new ModuleFailure('file: "recurse" only applies to state=directory');
  const attrs = wantedAttrs(args);
  if (args.recurse && attrs.mode?.kind === 'symbolic') throw new ModuleFailure('file: recurse needs an octal mode (a symbolic one would differ per entry)');
  return { path: args.path.length > 1 ? args.path.replace(/\/+$/, '') : args.path, state, attrs, src: args.src, recurse: args.recurse ?? false, force: args.force ?? false };
}

function facts(spec: FileSpec): Fact<FileFacts> {
  // link and absent look at the path itself; the others, like chmod, at what a link points to
  const follow = spec.state !== 'link' && spec.state !== 'absent';
  const state = fileState(spec.path, { follow, withContent: spec.state === 'absent' });
  if (!spec.recurse) {
    const pathsOf = state.pathsOf;
    return {
      // built only when asked, as fileState's own (a batch reads its files its own way)
      get command() {
        return state.command;
      },
      parse: (out: string) => ({ state: state.parse(out), drift: false }),
      files: { reads: state.files!.reads, build: (s) => ({ state: state.files!.build(s), drift: false }) },
      ...(state.paths ? { paths: state.paths } : {}),
      ...(pathsOf ? { pathsOf: (f: FileFacts) => pathsOf(f.state) } : {}),
    };
  }
  const mode = spec.attrs.mode?.kind === 'octal' ? spec.attrs.mode.mode : undefined;
  const drift = treeDrift(spec.path, { mode, owner: spec.attrs.owner, group: spec.attrs.group });
  return combineFacts({ state, drift });
}

function plan(f: FileFacts, spec: FileSpec): Change<FileStateData>[] {
  const cur = f.state.exists ? f.state : undefined;
  const p = spec.path;
  switch (spec.state) {
    case 'absent':
      if (!cur) return [];
      return [
        {
          action: 'delete',
          summary: `remove ${cur.type} ${p}`,
          path: p,
          attrs: { type: [cur.type, 'absent'] },
          ...(cur.content !== undefined ? { content: { before: cur.content, after: '' } } : {}),
          data: { kind: 'remove' },
        },
      ];
    case 'directory':
      if (cur && cur.type !== 'directory') throw new ModuleFailure(`${p} exists and is a ${cur.type}, not a directory`);
      return cur ? attrsOnly(cur, spec, true, f.drift) : [create(spec, 'directory', { kind: 'mkdir', set: diffAttrs(undefined, spec.attrs, true).set })];
    case 'touch':
      if (cur?.type === 'directory') throw new ModuleFailure(`${p} is a directory, cannot touch it as a file`);
      return cur ? attrsOnly(cur, spec, false, false) : [create(spec, 'file', { kind: 'touch', set: diffAttrs(undefined, spec.attrs, false).set })];
    case 'file':
      if (!cur) throw new ModuleFailure(`${p} does not exist (state=file never creates a file: use state=touch, copy or template)`);
      if (cur.type === 'directory') throw new ModuleFailure(`${p} is a directory, not a file`);
      return attrsOnly(cur, spec, false, false);
    case 'link':
      return planLink(cur, spec);
  }
}

function create(spec: FileSpec, type: 'directory' | 'file', data: FileStateData): Change<FileStateData> {
  const { attrs } = diffAttrs(undefined, spec.attrs, type === 'directory');
  return { action: 'create', summary: `create ${type} ${spec.path}`, path: spec.path, attrs: { type: [undefined, type], ...attrs }, data };
}

function attrsOnly(cur: PresentFile, spec: FileSpec, isDir: boolean, drift: boolean): Change<FileStateData>[] {
  const { set, attrs } = diffAttrs(cur, spec.attrs, isDir);
  if (!hasAttrs(set) && !drift) return [];
  if (spec.recurse) {
    // recursive: everything gets the wanted attributes, the top included
    const all: SetAttrs = { mode: spec.attrs.mode?.kind === 'octal' ? spec.attrs.mode.mode : undefined, owner: spec.attrs.owner, group: spec.attrs.group };
    const what = hasAttrs(set) ? `${describeAttrs(attrs)} on ${spec.path} and below` : `attributes below ${spec.path}`;
    return [{ action: 'update', summary: `set ${what}`, path: spec.path, attrs, data: { kind: 'attrs', set: all, recurse: true } }];
  }
  return [{ action: 'update', summary: `set ${describeAttrs(attrs)} on ${spec.path}`, path: spec.path, attrs, data: { kind: 'attrs', set } }];
}

function planLink(cur: PresentFile | undefined, spec: FileSpec): Change<FileStateData>[] {
  const p = spec.path;
  const src = spec.src!;
  if (cur?.type === 'link' && cur.linkTarget === src) {
    const { set, attrs } = diffAttrs(cur, spec.attrs, false);
    if (!hasAttrs(set)) return [];
    return [{ action: 'update', summary: `set ${describeAttrs(attrs)} on link ${p}`, path: p, attrs, data: { kind: 'attrs', set, noDeref: true } }];
  }
  if (cur && cur.type !== 'link') {
    if (cur.type === 'directory') throw new ModuleFailure(`${p} is a directory; remove it first (state=absent) to put a link there`);
    if (!spec.force) throw new ModuleFailure(`${p} exists as a ${cur.type}; set force: true to replace it with a link`);
  }
  const { set, attrs } = diffAttrs(undefined, { owner: spec.attrs.owner, group: spec.attrs.group }, false);
  const change: Change<FileStateData> = {
    action: cur ? 'update' : 'create',
    summary: cur?.type === 'link' ? `relink ${p}: ${cur.linkTarget} → ${src}` : cur ? `replace ${cur.type} ${p} with a link to ${src}` : `link ${p} → ${src}`,
    path: p,
    attrs: { ...attrs, ...(cur?.type !== 'link' ? { type: [cur?.type, 'link'] as const } : {}), target: [cur?.linkTarget, src] },
    data: { kind: 'link', src, set, replace: cur !== undefined },
  };
  return [change];
}

export const file = defineModule({
  name: 'file',
  argAliases: { dest: 'path', name: 'path' },
  description: 'Make a path a directory, an empty file, a symlink or absent, and set its mode, owner and group.',
  args: FileArgs,
  prepare: normalize,
  facts,
  plan,
  apply: applyFileState,
});

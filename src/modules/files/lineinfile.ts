import { Type, type Static } from '@sinclair/typebox';
import { fileState, type FileState } from '../../facts/file-state.js';
import type { Fact } from '../../facts/types.js';
import { defineModule, ModuleFailure, type Change } from '../types.js';
import { AttrProps, BackupArg, STRICT, ValidateArg } from '../args.js';
import { describeAttrs, diffAttrs, hasAttrs, wantedAttrs, type WantedAttrs } from './attrs.js';
import { applyFile, type FileData } from './content.js';
import { editLines, pyRegExp, type LineEdit } from './lines.js';

export const LineinfileArgs = Type.Object(
  {
    path: Type.String({ minLength: 1, description: 'The text file to edit.' }),
    line: Type.Optional(Type.String({ description: 'The line that must be present (state=present), or removed (state=absent, without regexp).' })),
    regexp: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'A regular expression searched in each line. present: the last matching line is replaced by `line`; absent: every matching line is removed.',
      }),
    ),
    state: Type.Optional(Type.Union([Type.Literal('present'), Type.Literal('absent')], { default: 'present', description: 'Whether the line must be there.' })),
    insertafter: Type.Optional(Type.String({ minLength: 1, description: "Where a new line goes: 'EOF' (default), or after the last line matching this pattern (EOF when none does)." })),
    insertbefore: Type.Optional(Type.String({ minLength: 1, description: "Where a new line goes: 'BOF', or before the last line matching this pattern (EOF when none does)." })),
    firstmatch: Type.Optional(Type.Boolean({ default: false, description: 'insertafter/insertbefore/regexp use the first matching line instead of the last.' })),
    backrefs: Type.Optional(Type.Boolean({ default: false, description: 'line holds \\1 or \\g<name> references to regexp groups; when regexp matches nothing the file is left alone.' })),
    create: Type.Optional(Type.Boolean({ default: false, description: 'Create the file when it is missing (otherwise that is an error).' })),
    ...AttrProps,
    validate: Type.Optional(ValidateArg),
    backup: Type.Optional(BackupArg),
  },
  { ...STRICT, description: 'Make sure one line is in a text file, or is not.' },
);

type Args = Static<typeof LineinfileArgs>;

export interface LineSpec {
  path: string;
  edit: LineEdit;
  create: boolean;
  attrs: WantedAttrs;
  validate?: string;
}

/** Files bigger than this are not edited: lineinfile reads the whole file. */
export const LINEINFILE_MAX_BYTES = 16 * 1024 * 1024;

function pattern(name: string, value: string): RegExp {
  try {
    return pyRegExp(value);
  } catch (e) {
    throw new ModuleFailure(`lineinfile: ${name} is not a valid regular expression: ${(e as Error).message}`);
  }
}

function normalize(args: Args): LineSpec {
  const state = args.state ?? 'present';
  if (state === 'present' && args.line === undefined) throw new ModuleFailure('lineinfile: state=present needs "line"');
  if (state === 'absent' && args.line === undefined && args.regexp === undefined) throw new ModuleFailure('lineinfile: state=absent needs "line" or "regexp"');
  if (args.insertafter !== undefined && args.insertbefore !== undefined) throw new ModuleFailure('lineinfile: use insertafter or insertbefore, not both');
  if (args.backrefs && args.regexp === undefined) throw new ModuleFailure('lineinfile: backrefs needs "regexp"');
  if (args.line?.includes('\n')) throw new ModuleFailure('lineinfile: line must be one line (use copy or template for blocks)');
  const edit: LineEdit = {
    state,
    line: args.line,
    regexp: args.regexp === undefined ? undefined : pattern('regexp', args.regexp),
    insertafter: args.insertafter === undefined || args.insertafter === 'EOF' ? (args.insertafter as 'EOF' | undefined) : pattern('insertafter', args.insertafter),
    insertbefore: args.insertbefore === undefined || args.insertbefore === 'BOF' ? (args.insertbefore as 'BOF' | undefined) : pattern('insertbefore', args.insertbefore),
    firstmatch: args.firstmatch ?? false,
    backrefs: args.backrefs ?? false,
  };
  return { path: args.path, edit, create: args.create ?? false, attrs: wantedAttrs(args), validate: args.validate };
}

function facts(spec: LineSpec): Fact<FileState> {
  return fileState(spec.path, { withContent: true, maxContentBytes: LINEINFILE_MAX_BYTES });
}

function plan(state: FileState, spec: LineSpec): Change<FileData>[] {
  const p = spec.path;
  if (!state.exists) {
    if (spec.edit.state === 'absent') return [];
    if (!spec.create) throw new ModuleFailure(`${p} does not exist; set create: true to create it`);
    const after = editLines('', spec.edit);
    const { set, attrs } = diffAttrs(undefined, spec.attrs, false);
    return [
      {
        action: 'create',
        summary: `create ${p} with the line`,
        path: p,
        content: { before: '', after },
        ...(Object.keys(attrs).length ? { attrs } : {}),
        data: { kind: 'write', bytes: Buffer.from(after, 'utf8'), set, validate: spec.validate },
      },
    ];
  }
  if (state.type !== 'file') throw new ModuleFailure(`${p} is a ${state.type}, not a regular file${state.type === 'link' ? ' (name the link target)' : ''}`);
  if (state.content === undefined) {
    throw new ModuleFailure(state.binary ? `${p} is not a text file` : `${p} could not be read, or is larger than ${LINEINFILE_MAX_BYTES} bytes`);
  }
  const after = editLines(state.content, spec.edit);
  const { set, attrs } = diffAttrs(state, spec.attrs, false);
  const hasAttrChange = hasAttrs(set);
  if (after === state.content) {
    if (!hasAttrChange) return [];
    return [{ action: 'update', summary: `set ${describeAttrs(attrs)} on ${p}`, path: p, attrs, data: { kind: 'attrs', set } }];
  }
  const full = { mode: set.mode ?? state.mode, owner: set.owner ?? state.owner, group: set.group ?? state.group };
  return [
    {
      action: 'update',
      summary: `${spec.edit.state === 'absent' ? 'remove line(s) from' : 'edit line in'} ${p}`,
      path: p,
      content: { before: state.content, after },
      ...(hasAttrChange ? { attrs } : {}),
      data: { kind: 'write', bytes: Buffer.from(after, 'utf8'), set: full, validate: spec.validate },
    },
  ];
}

export const lineinfile = defineModule({
  name: 'lineinfile',
  argAliases: { dest: 'path', name: 'path', destfile: 'path' },
  description: 'Make sure a line is in a text file (replacing the line a regexp matches) or is not.',
  args: LineinfileArgs,
  prepare: normalize,
  facts,
  plan,
  apply: applyFile,
});

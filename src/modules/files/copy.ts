import { readFile, stat } from 'node:fs/promises';
import { posix, basename } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { defineModule, ModuleFailure, type Change, type PrepareContext } from '../types.js';
import type { Fact } from '../../facts/types.js';
import type { FileState } from '../../facts/file-state.js';
import { applyTree, planTree, treeFact, wantedTree, type TreeData, type TreeFacts, type WantedTree } from './copy-tree.js';
import { AttrProps, BackupArg, STRICT, ValidateArg } from '../args.js';
import { wantedAttrs } from './attrs.js';
import { planFile, wantedFile, wantedFileFact, type WantedFile } from './content.js';

export const CopyArgs = Type.Object(
  {
    dest: Type.String({ minLength: 1, description: 'Absolute path of the file on the host. Ending in "/" copies into that directory under the name of `src`.' }),
    content: Type.Optional(Type.String({ description: 'The file content, as text. Exactly one of `content` and `src`.' })),
    src: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          "A file or folder on the controller. A relative path is looked up in the role's files/, then the playbook's files/, then the playbook's folder. A folder `app` is copied as dest/app; `app/` copies what is inside it into dest.",
      }),
    ),
    ...AttrProps,
    force: Type.Optional(Type.Boolean({ default: true, description: 'false: only create the file when it is missing; never replace its content.' })),
    validate: Type.Optional(ValidateArg),
    backup: Type.Optional(BackupArg),
  },
  { ...STRICT, description: 'Copy a file, or given text, to the host.' },
);

type Wanted = { kind: 'file'; file: WantedFile } | { kind: 'tree'; tree: WantedTree };

async function prepare(args: Static<typeof CopyArgs>, ctx: PrepareContext): Promise<Wanted> {
  if ((args.content === undefined) === (args.src === undefined)) throw new ModuleFailure('copy needs exactly one of "content" and "src"');
  const opts = { attrs: wantedAttrs(args), validate: args.validate, force: args.force ?? true };
  if (args.content !== undefined) {
    if (args.dest.endsWith('/')) throw new ModuleFailure('copy: with "content", dest must name a file, not a directory');
    return { kind: 'file', file: wantedFile(args.dest, Buffer.from(args.content, 'utf8'), opts) };
  }
  const local = ctx.resolveSource(args.src!, 'files');
  if ((await stat(local)).isDirectory()) {
    if (args.validate !== undefined) throw new ModuleFailure('copy: validate works on one file, not a folder');
    return { kind: 'tree', tree: await wantedTree(local, args.src!, args.dest, opts) };
  }
  const dest = args.dest.endsWith('/') ? posix.join(args.dest, basename(args.src!)) : args.dest;
  return { kind: 'file', file: wantedFile(dest, await readFile(local), opts) };
}

export const copy = defineModule({
  name: 'copy',
  description: 'Copy a file or a folder from the controller, or given text, to the host: atomic, backed up, mode/owner/group set in the same step.',
  args: CopyArgs,
  prepare,
  facts: (w: Wanted): Fact<TreeFacts | FileState> => (w.kind === 'file' ? wantedFileFact(w.file) : treeFact(w.tree)),
  plan: (f: TreeFacts | FileState, w: Wanted): Change<TreeData>[] => (w.kind === 'file' ? planFile(f as FileState, w.file) : planTree(f as TreeFacts, w.tree)),
  apply: applyTree,
});

import { readFile, stat } from 'node:fs/promises';
import { posix, basename } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { defineModule, ModuleFailure } from '../types.js';
import { AttrProps, BackupArg, STRICT, ValidateArg } from '../args.js';
import { wantedAttrs } from './attrs.js';
import { applyFile, planFile, wantedFile, wantedFileFact, type WantedFile } from './content.js';

export const CopyArgs = Type.Object(
  {
    dest: Type.String({ minLength: 1, description: 'Absolute path of the file on the host. Ending in "/" copies into that directory under the name of `src`.' }),
    content: Type.Optional(Type.String({ description: 'The file content, as text. Exactly one of `content` and `src`.' })),
    src: Type.Optional(
      Type.String({
        minLength: 1,
        description: "A file on the controller. A relative path is looked up in the role's files/, then the playbook's files/, then the playbook's folder.",
      }),
    ),
    ...AttrProps,
    force: Type.Optional(Type.Boolean({ default: true, description: 'false: only create the file when it is missing; never replace its content.' })),
    validate: Type.Optional(ValidateArg),
    backup: Type.Optional(BackupArg),
  },
  { ...STRICT, description: 'Copy a file, or given text, to the host.' },
);

export const copy = defineModule({
  name: 'copy',
  description: 'Copy a file from the controller, or given text, to the host: atomic, backed up, mode/owner/group set in the same step.',
  args: CopyArgs,
  async prepare(args: Static<typeof CopyArgs>, ctx): Promise<WantedFile> {
    if ((args.content === undefined) === (args.src === undefined)) throw new ModuleFailure('copy needs exactly one of "content" and "src"');
    let bytes: Uint8Array;
    let dest = args.dest;
    if (args.src !== undefined) {
      const local = ctx.resolveSource(args.src, 'files');
      if ((await stat(local)).isDirectory()) throw new ModuleFailure(`copy: src ${args.src} is a directory; copying directories is not supported yet`);
      bytes = await readFile(local);
      if (dest.endsWith('/')) dest = posix.join(dest, basename(args.src));
    } else {
      bytes = Buffer.from(args.content!, 'utf8');
      if (dest.endsWith('/')) throw new ModuleFailure('copy: with "content", dest must name a file, not a directory');
    }
    return wantedFile(dest, bytes, { attrs: wantedAttrs(args), validate: args.validate, force: args.force ?? true });
  },
  facts: wantedFileFact,
  plan: planFile,
  apply: applyFile,
});

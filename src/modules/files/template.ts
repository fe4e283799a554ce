import { readFileSync } from 'node:fs';
import { Type, type Static } from '@sinclair/typebox';
import { defineModule } from '../types.js';
import { AttrProps, BackupArg, STRICT, ValidateArg } from '../args.js';
import { wantedAttrs } from './attrs.js';
import { applyFile, planFile, wantedFile, wantedFileFact, type WantedFile } from './content.js';

export const TemplateArgs = Type.Object(
  {
    src: Type.String({
      minLength: 1,
      description: "A Handlebars template (.hbs) on the controller. A relative path is looked up in the role's templates/, then the playbook's templates/, then the playbook's folder.",
    }),
    dest: Type.String({ minLength: 1, description: 'Absolute path of the rendered file on the host.' }),
    ...AttrProps,
    force: Type.Optional(Type.Boolean({ default: true, description: 'false: only create the file when it is missing.' })),
    validate: Type.Optional(ValidateArg),
    backup: Type.Optional(BackupArg),
  },
  { ...STRICT, description: 'Render a template on the controller and install it on the host.' },
);

export const template = defineModule({
  name: 'template',
  description: 'Render a Handlebars template with the task\'s variables (strict: an undefined variable is an error) and install it like copy.',
  args: TemplateArgs,
  async prepare(args: Static<typeof TemplateArgs>, ctx): Promise<WantedFile> {
    const local = ctx.resolveSource(args.src, 'templates');
    // read whole each time (a task may have rewritten it): a few microseconds
    // for a template, where fs/promises' four thread-pool trips cost ~0.3 ms
    // of the controller per loop item; the compiled template is cached by text
    const text = ctx.render(readFileSync(local, 'utf8'), local);
    return wantedFile(args.dest, Buffer.from(text, 'utf8'), { attrs: wantedAttrs(args), validate: args.validate, force: args.force ?? true });
  },
  facts: wantedFileFact,
  plan: planFile,
  apply: applyFile,
});

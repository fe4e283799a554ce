import { tempNameFor } from '../../transport/host-paths.js';
import { joinCmds, sh, type Cmd } from '../../transport/quote.js';
import type { ApplyContext, Change } from '../types.js';
import { hasAttrs, runOrFail, setAttrsCmd, type SetAttrs } from './attrs.js';

/** What the file module's apply does: one shell command per change. */
export type FileStateData =
  | { kind: 'remove' }
  | { kind: 'mkdir'; set: SetAttrs }
  | { kind: 'touch'; set: SetAttrs }
  | { kind: 'attrs'; set: SetAttrs; recurse?: boolean; noDeref?: boolean }
  | { kind: 'link'; src: string; set: SetAttrs; replace: boolean };

function commandFor(path: string, d: FileStateData, ctx: ApplyContext): Cmd {
  const attrs = (set: SetAttrs, opts?: { noDeref?: boolean; recurse?: boolean }): Cmd[] => (hasAttrs(set) ? [setAttrsCmd(path, set, opts)] : []);
  switch (d.kind) {
    case 'remove':
      return joinCmds([ctx.backup(path), sh`rm -rf -- ${path}`], '&&');
    case 'mkdir':
      // reported as created only when this command made it
      return joinCmds([sh`if [ ! -d ${path} ]; then mkdir -p -- ${path} && ${ctx.created(path, 'directory')}; fi`, ...attrs(d.set)], '&&');
    case 'touch':
      // `: >>` creates without truncating: if something appeared since the plan, it is kept
      return joinCmds([sh`if [ ! -e ${path} ]; then : >> ${path} && ${ctx.created(path, 'file')}; fi`, ...attrs(d.set)], '&&');
    case 'attrs':
      return setAttrsCmd(path, d.set, { noDeref: d.noDeref, recurse: d.recurse });
    case 'link': {
      // a new link under a temp name, then rename over the path: never a moment without one
      const tmp = tempNameFor(path);
      const steps = [sh`ln -s -- ${d.src} ${tmp}`];
      if (hasAttrs(d.set)) steps.push(setAttrsCmd(tmp, d.set, { noDeref: true }));
      if (d.replace) steps.push(ctx.backup(path));
      steps.push(sh`mv -Tf -- ${tmp} ${path}`);
      if (!d.replace) steps.push(ctx.created(path, 'link'));
      return sh`${joinCmds(steps, '&&')} || { rm -f -- ${tmp}; exit 1; }`;
    }
  }
}

export async function applyFileState(change: Change<FileStateData>, ctx: ApplyContext): Promise<void> {
  const path = change.path!;
  await runOrFail(ctx, commandFor(path, change.data, ctx), `could not ${change.summary}`);
}

import { joinCmds, sh, type Cmd } from '../../transport/quote.js';
import type { PresentFile } from '../../facts/file-state.js';
import { ModuleFailure, type ApplyContext, type Change } from '../types.js';
import { parseMode, resolveMode, type ModeSpec } from './mode.js';

/** mode/owner/group as a module was asked for them, mode already parsed. */
export interface WantedAttrs {
  mode?: ModeSpec;
  owner?: string;
  group?: string;
}

/** The attributes apply must set, mode resolved to octal (a plan never leaves a symbolic mode to the host). */
export interface SetAttrs {
  mode?: string;
  owner?: string;
  group?: string;
}

export function wantedAttrs(args: { mode?: string | number; owner?: string | number; group?: string | number }): WantedAttrs {
  const id = (v: string | number | undefined): string | undefined => (v === undefined ? undefined : String(v));
  return { mode: args.mode === undefined ? undefined : parseMode(args.mode), owner: id(args.owner), group: id(args.group) };
}

type AttrDiff = NonNullable<Change['attrs']>;

/**
 * Which of the wanted attributes differ on an existing path (`state`), or
 * all of them for a path about to be made (`state` undefined). Owners match
 * by name or by numeric id. `mode` is ignored for links (Linux has no link modes).
 */
export function diffAttrs(state: PresentFile | undefined, want: WantedAttrs, isDir: boolean): { set: SetAttrs; attrs: AttrDiff } {
  const set: SetAttrs = {};
  const attrs: AttrDiff = {};
  if (want.mode && state?.type !== 'link') {
    const mode = resolveMode(want.mode, state?.mode, isDir);
    if (mode !== state?.mode) {
      set.mode = mode;
      attrs.mode = [state?.mode, mode];
    }
  }
  if (want.owner && !(state && (state.owner === want.owner || String(state.uid) === want.owner))) {
    set.owner = want.owner;
    attrs.owner = [state?.owner, want.owner];
  }
  if (want.group && !(state && (state.group === want.group || String(state.gid) === want.group))) {
    set.group = want.group;
    attrs.group = [state?.group, want.group];
  }
  return { set, attrs };
}

export function hasAttrs(set: SetAttrs): boolean {
  return set.mode !== undefined || set.owner !== undefined || set.group !== undefined;
}

/** chown/chmod for `path`; `noDeref` changes a link itself (chown -h) and never chmods it. */
export function setAttrsCmd(path: string, set: SetAttrs, opts: { noDeref?: boolean; recurse?: boolean } = {}): Cmd {
  const cmds: Cmd[] = [];
  const r = opts.recurse ? ['-R'] : [];
  if (set.owner || set.group) {
    const who = `${set.owner ?? ''}${set.group ? `:${set.group}` : ''}`;
    cmds.push(sh`chown ${[...r, ...(opts.noDeref || opts.recurse ? ['-h'] : [])]} ${who} -- ${path}`);
  }
  if (set.mode && !opts.noDeref) cmds.push(sh`chmod ${r} ${set.mode} -- ${path}`);
  return joinCmds(cmds, '&&');
}

/** Run a command apply needs to succeed; a failure is the task's failure, with the host's words. */
export async function runOrFail(ctx: ApplyContext, cmd: Cmd, what: string): Promise<void> {
  const r = await ctx.run(cmd);
  if (r.rc !== 0) throw new ModuleFailure(`${what}: ${r.stderr.trim() || `exit ${r.rc}`}`, { rc: r.rc, stdout: r.stdout, stderr: r.stderr });
}

/** "mode 0644 → 0600, owner root → app" for summaries. */
export function describeAttrs(attrs: AttrDiff): string {
  return (['mode', 'owner', 'group'] as const)
    .filter((k) => attrs[k])
    .map((k) => `${k} ${attrs[k]![0] ?? '(none)'} → ${attrs[k]![1]}`)
    .join(', ');
}

import { posix } from 'node:path';
import { joinCmds, quote, raw, sh, type Cmd } from './quote.js';
import { backupPathFor, tempNameFor } from './host-paths.js';
import { printfBytes } from './shell-session.js';

export { BACKUP_ROOT, backupPathFor } from './host-paths.js';

/**
 * A line a script prints when it really did something the journal must know
 * (a backup made, a file created): the record states what the host did, not
 * what the controller guessed. `token` is a random word the caller knows.
 */
export const DID_PREFIX = '\x1erosey-did ';

export function didCmd(token: string): Cmd {
  return sh`printf '\\036rosey-did %s\\n' ${token}`;
}

/** The tokens printed by didCmd, and stdout without those lines. */
export function takeDid(stdout: string): { tokens: Set<string>; rest: string } {
  const tokens = new Set<string>();
  const rest = stdout
    .split('\n')
    .filter((l) => {
      if (!l.startsWith(DID_PREFIX)) return true;
      tokens.add(l.slice(DID_PREFIX.length));
      return false;
    })
    .join('\n');
  return { tokens, rest };
}

/**
 * Copy `path`, if it exists, to its backup location; a no-op otherwise.
 * `done` runs after a copy was made (a didCmd), `absent` when there was nothing.
 */
export function backupCmd(runId: string, path: string, report: { done?: Cmd; absent?: Cmd } = {}): Cmd {
  const dest = backupPathFor(runId, path);
  const copy = joinCmds([sh`mkdir -p ${posix.dirname(dest)}`, sh`cp -a ${path} ${dest}`, ...(report.done ? [report.done] : [])], '&&');
  const otherwise = report.absent ? sh` else ${report.absent};` : sh``;
  return sh`if [ -e ${path} ] || [ -L ${path} ]; then ${copy};${otherwise} fi`;
}

export interface InstallOptions {
  mode?: string;
  owner?: string;
  group?: string;
  /** command with %s for the temp file's path */
  validate?: string;
  /** run id whose backup folder receives the old file; no backup when absent */
  backupRunId?: string;
  /** printed when the old file was backed up / when there was none (the file is new) */
  report?: { backedUp: Cmd; created: Cmd };
  /**
   * Byte length of the content fed on stdin. Give it whenever the content
   * travels over a network: a connection that drops and then closes cleanly
   * (its FIN arrives once the network is back) looks to the script like the
   * end of the content, and without the length a truncated file would be
   * installed.
   */
  size?: number;
  /**
   * The content written by the script itself (a `printf`, a builtin),
   * instead of read from stdin: no `cat`, nothing that can arrive cut short
   * (a script runs only once it arrived whole), so no `size` to check.
   */
  content?: Uint8Array;
  /**
   * The path is a new name no file has (a run record): the temp file is
   * created with `mode` through the umask, with no `chmod` and no
   * ownership to copy. One process less on the host, for a write every
   * host does at the end of every run. Only for a mode without execute or
   * special bits (which a new file cannot get from the umask).
   */
  fresh?: boolean;
}

/** The umask that creates a file (0666 before it) with exactly `mode`; undefined when the umask cannot. */
function creationUmask(mode: string): string | undefined {
  if (!/^0?[0-7]{3}$/.test(mode)) return undefined;
  const m = parseInt(mode, 8);
  if ((m & 0o111) !== 0) return undefined;
  return (~m & 0o777).toString(8).padStart(3, '0');
}

/** Exit status the install script uses when `validate` refuses the new content. */
export const VALIDATE_FAILED_RC = 97;
/** Exit status when stdin ended before `size` bytes arrived: nothing was installed. */
export const INCOMPLETE_RC = 98;

/**
 * One shell script, fed the new content on stdin, that installs a file
 * atomically: write a temp file beside the target (same filesystem, so the
 * final `mv` is a rename), give it its attributes (the old file's when none
 * are asked for), check it is complete (`size`), validate it, back up the old
 * file, rename. A connection cut at any point leaves the old file as it was
 * (given `size`); the trap removes the temp file when the shell is still alive
 * to run it.
 */
export function installFileCmd(path: string, opts: InstallOptions): Cmd {
  const tmp = tempNameFor(path);
  const umask = opts.fresh && opts.mode && !opts.owner && !opts.group ? creationUmask(opts.mode) : undefined;
  const write = opts.content ? sh`${raw(printfBytes(opts.content))} > ${tmp}` : sh`cat > ${tmp}`;
  const steps: Cmd[] = [
    // the content is private until its mode and owner are set, unless it is created with its mode (fresh)
    sh`umask ${umask ?? '077'}`,
    // PIPE too: after a cut connection the shell's next write to stderr kills it with SIGPIPE, and the temp file must still go
    sh`trap ${`rm -f ${quote(tmp)}`} EXIT HUP INT TERM PIPE`,
    // created with its mode: created here or not at all (a file already at the temp name would keep its own)
    umask ? sh`set -C; ${write}; set +C` : write,
  ];
  if (opts.size !== undefined && !opts.content) {
    const n = String(opts.size);
    steps.push(sh`[ "$(stat -c %s -- ${tmp})" = ${n} ] || { echo ${`rosey: content for ${path} ended early (connection lost?); file left unchanged`} >&2; exit ${INCOMPLETE_RC}; }`);
  }
  // With no explicit attributes a replaced file keeps its own; a new one gets 0644.
  if (!umask) {
    if (opts.mode) steps.push(sh`chmod ${opts.mode} ${tmp}`);
    else steps.push(sh`if [ -e ${path} ]; then chmod --reference=${path} ${tmp}; else chmod 0644 ${tmp}; fi`);
  }
  if (opts.owner || opts.group) {
    steps.push(sh`chown ${`${opts.owner ?? ''}${opts.group ? ':' + opts.group : ''}`} ${tmp}`);
  } else {
    steps.push(sh`if [ -e ${path} ]; then chown --reference=${path} ${tmp}; fi`);
  }
  if (opts.validate) {
    const v = opts.validate.includes('%s') ? opts.validate.split('%s').join(quote(tmp)) : `${opts.validate} ${quote(tmp)}`;
    steps.push(sh`{ ${raw(v)} ; } >&2 || exit ${VALIDATE_FAILED_RC}`);
  }
  if (opts.backupRunId) steps.push(backupCmd(opts.backupRunId, path, { done: opts.report?.backedUp, absent: opts.report?.created }));
  else if (opts.report) steps.push(sh`if [ -e ${path} ] || [ -L ${path} ]; then :; else ${opts.report.created}; fi`);
  steps.push(sh`mv -f ${tmp} ${path}`, sh`trap - EXIT HUP INT TERM PIPE`);
  return joinCmds([sh`set -e`, ...steps], '\n');
}

import { joinCmds, raw, sh, type Cmd } from '../transport/quote.js';
import { DEFAULT_MAX_CONTENT, parseFileState, type FileState, type FileStateOptions } from './file-state.js';
import { FactError } from './parse.js';

/** One path a file-state read looks at, and how. */
export interface FileRead {
  path: string;
  opts: FileStateOptions;
}

/**
 * What `stat` prints for each path; the `.` line ends a record (every other
 * line starts with a key). `name` is the path C-quoted, with a link's target
 * (`%N`: the shared call reads link targets too, where a `readlink` and a
 * `base64` for each link cost two processes and two forks on the host).
 * `size` stays last: the content check takes what follows the last `size=`.
 */
const STAT_FORMAT = String.raw`mode=%a\nowner=%U\nuid=%u\ngroup=%G\ngid=%g\nname=%N\nsize=%s\n.\n`;

/**
 * The state of many paths in one command, as each would print alone (the
 * outputs one after another, each starting with its `exists=` line). The
 * cost on the host is processes, not paths: where reading each path took a
 * `stat`, a second one for the size and a `sha256sum` (about 9 ms a file on
 * a test host), all paths share one `stat` (and one `stat -L` for followed
 * links) and all regular files one `sha256sum`; the shell hands each path
 * its record with parameter expansion, which forks nothing. Should a shared
 * call fail (a path vanished between the test and the call, a file that
 * `-r` called readable was not), every path falls back to a call of its
 * own, so no record is ever given to the wrong path.
 */
export function fileStatesCmd(reads: readonly FileRead[]): Cmd {
  // C quoting in the C locale escapes every byte that is not printable ASCII (parse.ts `cQuoted`)
  const head = raw(`nl='\n'; A=; L=; K=; F='${STAT_FORMAT}'; export QUOTING_STYLE=c LC_ALL=C`);
  const gather = reads.map((r, i) => gatherEntry(r, i));
  const shared = raw(
    [
      'SA=; SL=; H=',
      `if [ -n "$A" ]; then SA=$(eval "stat --printf \\"\\$F\\" -- $A") && SA="$SA$nl" || SA=; fi`,
      `if [ -n "$L" ]; then SL=$(eval "stat -L --printf \\"\\$F\\" -- $L") && SL="$SL$nl" || SL=; fi`,
      `if [ -n "$K" ]; then H=$(eval "sha256sum -- $K" 2>/dev/null) && H="$H$nl" || H=; fi`,
    ].join('\n'),
  );
  const print = reads.map((r, i) => printEntry(r, i));
  return joinCmds([raw('('), head, ...gather, shared, ...print, raw(')')], '\n');
}

/** Test what is at the path (builtins only) and put it on the shared calls' lists, as `"$pN"` (never its text: the lists are eval'ed). */
function gatherEntry(r: FileRead, i: number): Cmd {
  const follow = r.opts.follow === true;
  // following: a dangling link is still a link (there is nothing else to stat)
  const linkTest = follow ? `[ -L "$p${i}" ] && [ ! -e "$p${i}" ]` : `[ -L "$p${i}" ]`;
  // following: only a path that is a link needs `stat -L`; any other reads the same through the one `stat` call (one process less on the host)
  const list = follow
    ? `if [ $t${i} != link ] && [ -L "$p${i}" ]; then s${i}=L; L="$L \\"\\$p${i}\\""; else s${i}=A; A="$A \\"\\$p${i}\\""; fi`
    : `A="$A \\"\\$p${i}\\""`;
  return joinCmds(
    [
      sh`p${raw(String(i))}=${r.path}`,
      raw(`if ${linkTest}; then t${i}=link; elif [ -d "$p${i}" ]; then t${i}=directory; elif [ -f "$p${i}" ]; then t${i}=file; elif [ -e "$p${i}" ]; then t${i}=other; else t${i}=; fi`),
      raw(`if [ -n "$t${i}" ]; then ${list}; fi`),
      raw(`if [ "$t${i}" = file ] && [ -r "$p${i}" ]; then K="$K \\"\\$p${i}\\""; k${i}=1; else k${i}=; fi`),
    ],
    '\n',
  );
}

/** Print the path's state as `fileState` alone prints it, taking its records from the shared calls' output. */
function printEntry(r: FileRead, i: number): Cmd {
  const p = `"$p${i}"`;
  const follow = r.opts.follow === true;
  const max = r.opts.maxContentBytes ?? DEFAULT_MAX_CONTENT;
  // the record from the shared call, or (when that failed) from a call of this path's own
  const take = (v: string, flag: string): string => `if [ -n "$${v}" ]; then r=\${${v}%%"$nl.$nl"*}; ${v}=\${${v}#*"$nl.$nl"}; else r=$(stat ${flag}--printf "$F" -- ${p}); r=\${r%"$nl."}; fi`;
  // the list the path went on when gathered, not a second look (the path may have changed since)
  const stat = follow ? `if [ "$s${i}" = L ]; then ${take('SL', '-L ')}; else ${take('SA', '')}; fi` : take('SA', '');
  const content: Cmd[] = [];
  if (r.opts.withContent) {
    const wanted = r.opts.contentUnlessSha256 ? sh` && [ "$h" != ${r.opts.contentUnlessSha256} ]` : raw('');
    content.push(sh`  if [ -n "$h" ]${wanted} && [ "\${r##*size=}" -le ${max} ]; then printf 'content='; base64 -w0 < ${raw(p)}; echo; fi`);
  }
  return joinCmds(
    [
      raw(`if [ -z "$t${i}" ]; then echo exists=0; else`),
      raw(`echo exists=1; echo type=$t${i}`),
      ...(follow ? [raw(`[ "$s${i}" != L ] || echo via_link=1`)] : []),
      raw(stat),
      raw(`printf '%s\\n' "$r"`),
      raw(`if [ $t${i} = file ]; then`),
      raw(`  if [ -n "$H" ] && [ -n "$k${i}" ]; then h=\${H%%"$nl"*}; H=\${H#*"$nl"}; h=\${h#\\\\}; h=\${h%% *}; else h=$(sha256sum < ${p} 2>/dev/null) && h=\${h%% *} || h=; fi`),
      raw('  [ -z "$h" ] || echo "sha256=$h"'),
      ...content,
      raw('fi'),
      raw('fi'),
    ],
    '\n',
  );
}

/**
 * The outputs of `fileStatesCmd`, one per read: undefined for one that does
 * not parse (it spoils only itself). The wrong number of outputs spoils all.
 */
export function parseFileStates(stdout: string, count: number): (FileState | undefined)[] {
  const chunks: string[] = [];
  for (const line of stdout.split('\n')) {
    if (line.startsWith('exists=')) chunks.push('');
    if (chunks.length) chunks[chunks.length - 1] += `${line}\n`;
  }
  if (chunks.length !== count) throw new FactError(`file states: expected ${count} outputs, got ${chunks.length}`);
  return chunks.map((c) => {
    try {
      return parseFileState(c);
    } catch {
      return undefined;
    }
  });
}

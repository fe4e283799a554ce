import { containsSecret } from '../shared/secret.js';

/**
 * A command whose text holds a secret value (a vault password a template
 * put into a `shell:` line, a become script around it) must not show in
 * `ps` on the host: sshd runs the exec request as `sh -c <text>`, visible
 * to every user there. Such a command travels on stdin instead, ahead of
 * the command's own input: its length on the first line, then the script,
 * which a short fixed command reads (`read` and `dd bs=1` take exactly
 * those bytes, so the command's own stdin follows untouched) and evals.
 * Builtins (printf into become's temp file) never get an argv of their own.
 */
export const READ_SCRIPT = 'IFS= read -r n && s=$(dd bs=1 count="$n" 2>/dev/null) && eval "$s"';

export function secretsOffCommandLine(text: string, stdin: string | Uint8Array | undefined): { text: string; stdin: string | Uint8Array | undefined } {
  if (!containsSecret(text)) return { text, stdin };
  const script = Buffer.from(text, 'utf8');
  const rest = stdin === undefined ? Buffer.alloc(0) : typeof stdin === 'string' ? Buffer.from(stdin, 'utf8') : Buffer.from(stdin.buffer, stdin.byteOffset, stdin.byteLength);
  return { text: READ_SCRIPT, stdin: Buffer.concat([Buffer.from(`${script.length}\n`), script, rest]) };
}

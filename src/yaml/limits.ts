import { isUtf8 } from 'node:buffer';
import { UserError, type SourceLoc } from '../errors/diagnostic.js';

/**
 * Limits on what a YAML file may hold. Playbooks, roles and inventories are
 * small hand-written files: these bounds are far above any real one and keep
 * a hostile or broken file from taking minutes and gigabytes to refuse
 * (docs/engine.md, "YAML", lists them).
 */
export const YAML_LIMITS = {
  /** bytes in one file (a 50 MB playbook took 56 s and 2.8 GB before) */
  maxFileBytes: 4 * 1024 * 1024,
  /** nesting of maps and lists (a block in a block in a block ...) */
  maxDepth: 256,
  /** nodes added by alias expansion in one document (a "billion laughs" file) */
  maxAliasNodes: 100_000,
} as const;

/** Refuse a file over the size limit before reading it. */
export function checkFileSize(file: string, size: number): void {
  if (size <= YAML_LIMITS.maxFileBytes) return;
  throw new UserError({
    severity: 'error',
    summary: `${file} is ${(size / 1024 / 1024).toFixed(1)} MiB: YAML files are limited to ${YAML_LIMITS.maxFileBytes / 1024 / 1024} MiB`,
    detail: 'Split it into smaller files (import_tasks, roles, vars_files); large data belongs in files the tasks copy, not in YAML.',
    source: { file, line: 1, column: 1 },
  });
}

/**
 * The file's text, refusing bytes that are not UTF-8 (silently reading them
 * as U+FFFD would put a different value on the host than the one written).
 */
export function decodeUtf8(buf: Buffer, file: string): string {
  if (isUtf8(buf)) return buf.toString('utf8');
  // a newline byte never occurs inside a multi-byte sequence: find the line
  let start = 0;
  let line = 1;
  for (;;) {
    const nl = buf.indexOf(0x0a, start);
    const end = nl < 0 ? buf.length : nl;
    const bytes = buf.subarray(start, end);
    if (!isUtf8(bytes)) throw badUtf8(file, line, bytes);
    if (nl < 0) break;
    start = nl + 1;
    line++;
  }
  throw badUtf8(file, 1, buf);
}

function badUtf8(file: string, line: number, bytes: Buffer): UserError {
  const column = bytes.toString('utf8').indexOf('\uFFFD') + 1 || 1;
  const source: SourceLoc = { file, line, column };
  return new UserError({
    severity: 'error',
    summary: 'the file is not valid UTF-8',
    detail: 'Save the file as UTF-8 (iconv -f LATIN1 -t UTF-8, or your editor\'s encoding setting).',
    source,
  });
}

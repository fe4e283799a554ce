import { appendFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

export interface ChatLogOptions {
  file: string;
  maxBytes: number;
  /** Rotated files kept: file.1 (newest) .. file.<keep>. */
  keep: number;
  flushMs?: number;
}

/**
 * The channel's chat as JSON lines, written in batches (one append per
 * flush, not per line) and rotated by size, so disk use is bounded by
 * maxBytes * (keep + 1).
 */
export class ChatLog {
  #pending: string[] = [];
  #pendingBytes = 0;
  #size: number;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly opts: ChatLogOptions,
    private readonly onError: (err: unknown) => void,
  ) {
    mkdirSync(dirname(opts.file), { recursive: true });
    this.#size = existsSync(opts.file) ? statSync(opts.file).size : 0;
  }

  write(entry: { time: number; user: string; msg: string; kind?: 'chat' | 'pm' }): void {
    const line = JSON.stringify({ time: new Date(entry.time).toISOString(), kind: entry.kind ?? 'chat', user: entry.user, msg: entry.msg }) + '\n';
    this.#pending.push(line);
    this.#pendingBytes += Buffer.byteLength(line);
    if (this.#pendingBytes >= 64 * 1024) this.flush();
    else this.#timer ??= setTimeout(() => this.flush(), this.opts.flushMs ?? 500).unref();
  }

  flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#pending.length === 0) return;
    const data = this.#pending.join('');
    this.#pending = [];
    this.#pendingBytes = 0;
    try {
      if (this.#size > 0 && this.#size + Buffer.byteLength(data) > this.opts.maxBytes) this.#rotate();
      appendFileSync(this.opts.file, data);
      this.#size += Buffer.byteLength(data);
    } catch (err) {
      this.onError(err);
    }
  }

  close(): void {
    this.flush();
  }

  #rotate(): void {
    const { file, keep } = this.opts;
    rmSync(`${file}.${keep}`, { force: true });
    for (let i = keep - 1; i >= 1; i--) if (existsSync(`${file}.${i}`)) renameSync(`${file}.${i}`, `${file}.${i + 1}`);
    renameSync(file, `${file}.1`);
    this.#size = 0;
  }
}

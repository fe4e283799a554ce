import { writeSync } from 'node:fs';

/**
 * Writes text to stdout straight to file descriptor 1. A check or listing
 * prints only this, and `console.log` would first build process.stdout (a
 * stream and the modules behind it: ~5 ms and 4% of a check's start-up).
 * Where fd 1 is a non-blocking pipe that is full, the rest goes through
 * process.stdout, which waits; a reader that went away (`| head`) ends the
 * output, as it would for `console.log`.
 */
export function printOut(text: string): void {
  const buf = Buffer.from(text);
  let done = 0;
  try {
    while (done < buf.length) done += writeSync(1, buf, done);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EAGAIN') process.stdout.write(buf.subarray(done));
    else if (code !== 'EPIPE') throw err;
  }
}

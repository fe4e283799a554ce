import { readFileSync, statSync } from 'node:fs';

/**
 * A reader of local files that turns each file into a value once, for as
 * long as the file stays the same (inode, size, modification time): the
 * same private key and known_hosts file serve every host of a run, and each
 * connection used to read and parse them again (50 times at 50 hosts). A
 * file that changed is read again. A missing or unreadable file throws as
 * reading it would.
 */
export function fileMemo<T>(make: (text: string, path: string) => T): (path: string) => T {
  const held = new Map<string, { stamp: string; value: T }>();
  return (path) => {
    const st = statSync(path);
    const stamp = `${st.ino}:${st.size}:${st.mtimeMs}`;
    const got = held.get(path);
    if (got?.stamp === stamp) return got.value;
    const value = make(readFileSync(path, 'utf8'), path);
    held.set(path, { stamp, value });
    return value;
  };
}

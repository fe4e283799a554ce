import { raw, sh } from '../transport/quote.js';
import { APT_UPDATE_STAMP } from '../transport/host-paths.js';
import type { Fact } from './types.js';
import { FACT_SEPARATOR } from './combine.js';

export interface PackageState {
  /** installed version, when installed */
  installed?: string;
  /** what `apt-get install` would install now */
  candidate?: string;
}

export interface PackageFacts {
  packages: Record<string, PackageState>;
  /** seconds since the package index was last updated (undefined: never, as far as the host knows) */
  cacheAge?: number;
}

const DPKG_FORMAT = "-f='${Package} ${db:Status-Abbrev} ${Version}\\n'";
const AGE = 'if [ -n "$t" ]; then echo "cache-age=$(( $(date +%s) - t ))"; fi';

/**
 * Installed and candidate versions of `names` and the age of the package
 * index, in one command. `dpkg-query` and `apt-cache policy` read only.
 */
export function packageFact(names: readonly string[]): Fact<PackageFacts> {
  const query = names.length
    ? sh`dpkg-query -W ${raw(DPKG_FORMAT)} ${names} 2>/dev/null; echo ${FACT_SEPARATOR}; LC_ALL=C apt-cache policy ${names} 2>/dev/null`
    : sh`echo ${FACT_SEPARATOR}`;
  const age = sh`t=$(stat -c %Y ${APT_UPDATE_STAMP} /var/lib/apt/periodic/update-success-stamp 2>/dev/null | sort -n | tail -1); ${raw(AGE)}`;
  return {
    command: sh`${query}; echo ${FACT_SEPARATOR}; ${age}`,
    parse(stdout) {
      const [installed = '', policy = '', tail = ''] = stdout.split(`${FACT_SEPARATOR}\n`);
      const packages: Record<string, PackageState> = Object.fromEntries(names.map((n) => [n, {}]));
      for (const line of installed.split('\n')) {
        const [name, status, version] = line.trim().split(/\s+/);
        // "ii" = wanted install, installed; anything else (rc: removed, config left) is not installed
        if (name && packages[name] && status === 'ii' && version) packages[name]!.installed = version;
      }
      let cur: string | undefined;
      for (const line of policy.split('\n')) {
        const head = /^(\S+):$/.exec(line);
        if (head) cur = head[1];
        const cand = /^\s+Candidate:\s+(\S+)/.exec(line);
        if (cur && packages[cur] && cand && cand[1] !== '(none)') packages[cur]!.candidate = cand[1];
      }
      const m = /cache-age=(-?\d+)/.exec(tail);
      const age = m ? Number(m[1]) : -1;
      return { packages, ...(age >= 0 ? { cacheAge: age } : {}) };
    },
  };
}

/**
 * /etc/os-release as a map. Its values follow shell quoting rules: bare,
 * "double quoted" (with \" \\ \$ \` escapes) or 'single quoted'.
 */
export function parseOsRelease(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!m) continue;
    out[m[1]!] = unquote(m[2]!.trim());
  }
  return out;
}

function unquote(v: string): string {
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) return v.slice(1, -1).replace(/\\([\\"$`])/g, '$1');
  if (v.length >= 2 && v.startsWith("'") && v.endsWith("'")) return v.slice(1, -1);
  return v;
}

/** Distribution names as Ansible reports them (`ansible_distribution`), by os-release ID. */
const NAMES: Record<string, string> = {
  debian: 'Debian',
  ubuntu: 'Ubuntu',
  raspbian: 'Debian',
  centos: 'CentOS',
  rhel: 'RedHat',
  fedora: 'Fedora',
  rocky: 'Rocky',
  almalinux: 'AlmaLinux',
  amzn: 'Amazon',
  alpine: 'Alpine',
  arch: 'Archlinux',
  opensuse: 'openSUSE',
  'opensuse-leap': 'openSUSE Leap',
  'opensuse-tumbleweed': 'openSUSE Tumbleweed',
  sles: 'SLES',
  linuxmint: 'Linux Mint',
};

export function distributionName(osRelease: Record<string, string>): string {
  const id = osRelease.ID ?? '';
  return NAMES[id] ?? osRelease.NAME ?? (id || 'unknown');
}

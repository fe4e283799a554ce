import type { SocketConfig } from './protocol.js';

/**
 * Find the socket.io URL for a channel the way CyTube's web client does:
 * GET <server>/socketconfig/<channel>.json and take a server from the list,
 * preferring TLS when the page itself is https, and IPv4 entries.
 */
export async function discoverSocketUrl(server: string, channel: string, timeoutMs: number): Promise<string> {
  const url = `${server.replace(/\/+$/, '')}/socketconfig/${encodeURIComponent(channel)}.json`;
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  let body: SocketConfig;
  try {
    body = (await res.json()) as SocketConfig;
  } catch {
    throw new Error(`GET ${url}: HTTP ${res.status}, not a JSON socket config`);
  }
  if (!res.ok || body.error) throw new Error(`GET ${url}: HTTP ${res.status}: ${body.error ?? 'no socket config'}`);
  const servers = (body.servers ?? []).filter((s) => typeof s.url === 'string' && !s.ipv6);
  const wantSecure = server.startsWith('https:');
  const pick = servers.find((s) => s.secure === wantSecure) ?? servers[0];
  if (!pick) throw new Error(`GET ${url}: the socket config lists no server`);
  return pick.url;
}

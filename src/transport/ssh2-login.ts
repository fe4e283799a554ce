import { createPrivateKey, type KeyObject } from 'node:crypto';
import type { Client } from 'ssh2';

/*
 * Where Rosey's SSH login differs from ssh2's defaults: each adjustment does
 * what OpenSSH's own client does, reaches into ssh2's client by fields its
 * types do not name, and leaves a client without them (another ssh2
 * version) as it is. Applied right after node-ssh made the client, before
 * the first message arrives (src/transport/ssh.ts); `stopKeepalive`, at
 * the connection's close.
 */

/** The parts of ssh2's client protocol (not in its types) that the adjustments below use. */
interface Ssh2Protocol {
  requestSuccess(): void;
  ping(): void;
  authPK(username: string, key: unknown, keyAlgo?: unknown, cbSign?: unknown): void;
  _handlers?: { GLOBAL_REQUEST?: unknown; USERAUTH_PK_OK?: unknown };
}
type GlobalRequestHandler = (proto: Ssh2Protocol, name: string, wantReply: boolean, data: unknown) => void;

function protocolOf(client: Client | null): Ssh2Protocol | undefined {
  return (client as { _protocol?: Ssh2Protocol } | null)?._protocol;
}

/**
 * After login OpenSSH's sshd announces all its host keys
 * (hostkeys-00@openssh.com, for the client's UpdateHostKeys). ssh2 answers
 * by asking the server to prove it holds each one, so the server signs with
 * every key (RSA too), and verifies every signature, all for a `hostkeys`
 * event that Rosey does not use: a round on the host and ~4 ms of the
 * controller's CPU per connection. Rosey keeps known_hosts itself, so it
 * does what OpenSSH's client does with UpdateHostKeys=no: it does not ask.
 *
 * It still answers at once, with a keepalive: sshd leaves Nagle's algorithm
 * on for sessions without a terminal, so its next message (the session
 * channel's confirmation, right behind the announcement) waits until this
 * side acknowledges the announcement, and with nothing to send this side's
 * kernel delays that ACK by 40 ms. ssh2's own question used to carry the
 * ACK; without any answer every login took 42 ms longer (measured). The
 * keepalive's reply goes to a callback queued in ssh2's order of global
 * requests. Other global requests go to ssh2 as before, and a client without
 * these internals (another ssh2 version) is left as it is.
 */
export function ignoreHostKeysAnnouncement(client: Client | null): void {
  const proto = protocolOf(client);
  const handlers = proto?._handlers;
  const ssh2s = handlers?.GLOBAL_REQUEST;
  const callbacks = (client as { _callbacks?: unknown } | null)?._callbacks;
  if (!proto || !handlers || typeof ssh2s !== 'function' || typeof proto.ping !== 'function' || !Array.isArray(callbacks)) return;
  const handle: GlobalRequestHandler = (p, name, wantReply, data) => {
    if (name !== 'hostkeys-00@openssh.com') return (ssh2s as GlobalRequestHandler)(p, name, wantReply, data);
    if (wantReply) return p.requestSuccess();
    callbacks.push(() => undefined);
    p.ping();
  };
  handlers.GLOBAL_REQUEST = handle;
}

/**
 * ssh2 offers a private key in two requests: first without a signature
 * ("would you accept this key?"), then, once sshd said yes, signed. That
 * first request costs a round trip and a look through authorized_keys on
 * the host (7-8 ms per login measured here, before any command can run).
 * OpenSSH's client signs at once when it holds the private key, and so does
 * this: ssh2's unsigned offer of a private key goes straight on to its own
 * "key accepted" step, which signs. Offers of an agent's keys (public only)
 * keep the check, since signing with the agent is the costly part there. A
 * refused signed offer gets the same answer as a refused check, so ssh2
 * goes on to its next key algorithm or method as before.
 */
export function signAtOnce(client: Client | null): void {
  const proto = protocolOf(client);
  const accepted = proto?._handlers?.USERAUTH_PK_OK;
  if (!proto || typeof proto.authPK !== 'function' || typeof accepted !== 'function') return;
  const offer = proto.authPK.bind(proto);
  proto.authPK = (username, key, keyAlgo, cbSign) => {
    const own = cbSign === undefined && typeof keyAlgo !== 'function' && (key as { isPrivateKey?: () => boolean } | null)?.isPrivateKey?.() === true;
    if (!own) return offer(username, key, keyAlgo, cbSign);
    signWithKeyObject(key as object);
    (accepted as (p: Ssh2Protocol) => void)(proto);
  };
}

/** One parsed private key per key text for the whole run. */
const keyObjects = new Map<string, KeyObject>();

/**
 * ssh2 keeps a private key as PEM text and hands that text to
 * `crypto.sign`, so OpenSSL parses the key again for every login's
 * signature: 0.9 ms against 0.07 ms with a KeyObject (measured, Ed25519),
 * 45 ms of a 50-host run. The key ssh2 parsed for this login signs with a
 * KeyObject shared by every login with the same key. A key without that
 * field (another ssh2 version) signs as before.
 */
function signWithKeyObject(key: object): void {
  const field = Object.getOwnPropertySymbols(key).find((s) => s.description === 'Private key PEM');
  const pem = field && (key as Record<symbol, unknown>)[field];
  if (!field || typeof pem !== 'string') return;
  let parsed = keyObjects.get(pem);
  if (!parsed) keyObjects.set(pem, (parsed = createPrivateKey(pem)));
  (key as Record<symbol, unknown>)[field] = parsed;
}

/**
 * ssh2's keepalive timer is a plain interval, cleared when the socket
 * closes: after a disconnect it held the process until sshd closed the
 * connection (~10 ms at the end of every run; for a host that never does,
 * until the interval's next tick, 4 s). ssh2's own reset clears it, and
 * starts no new one once the socket is no longer writable (after `end()`).
 */
export function stopKeepalive(client: Client | null): void {
  const reset = (client as { _resetKA?: () => void } | null)?._resetKA;
  if (typeof reset === 'function') reset();
}

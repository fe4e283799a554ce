// What turning keys into and out of DER and PEM costs in Node's OpenSSL,
// against JWK (raw bytes), for the operations ssh2 does in every key
// exchange (X25519) and host key check (Ed25519); and one random fill.
// Microseconds per call, warm, after one call each. The SSH bundle takes
// the JWK way (scripts/build-cli.mjs, ssh2Crypto).
// Usage: node bench/openssl-keys.cjs [calls]   (default 200)
'use strict';
const c = require('node:crypto');

const n = Number(process.argv[2] ?? 200);
function time(name, fn) {
  fn();
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn();
  const us = Number(process.hrtime.bigint() - start) / n / 1000;
  process.stdout.write(`${name.padEnd(44)} ${us.toFixed(1).padStart(7)} us\n`);
}

const x = c.generateKeyPairSync('x25519');
const der = x.publicKey.export({ type: 'spki', format: 'der' });
const jwk = x.publicKey.export({ format: 'jwk' });
time('X25519 public key export, DER', () => x.publicKey.export({ type: 'spki', format: 'der' }));
time('X25519 public key export, JWK', () => x.publicKey.export({ format: 'jwk' }));
time('X25519 public key import, DER', () => c.createPublicKey({ key: der, format: 'der', type: 'spki' }));
time('X25519 public key import, JWK', () => c.createPublicKey({ key: jwk, format: 'jwk' }));
const ed = c.generateKeyPairSync('ed25519');
const pem = ed.publicKey.export({ type: 'spki', format: 'pem' });
const edJwk = ed.publicKey.export({ format: 'jwk' });
const data = Buffer.alloc(32, 1);
const sig = c.sign(null, data, ed.privateKey);
time('Ed25519 verify, key as PEM', () => c.verify(null, data, pem, sig));
time('Ed25519 verify, key imported from JWK', () => c.verify(null, data, c.createPublicKey({ key: edJwk, format: 'jwk' }), sig));
time('randomFillSync, 8 bytes', () => c.randomFillSync(Buffer.alloc(16), 4, 8));

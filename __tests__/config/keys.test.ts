import { describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { inspect } from 'node:util';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { OktaError } from '../../src/errors.js';
import { generateProofKey, loadSigningKey, PrivateKeyError, privateKeyProblem } from '../../src/config/keys.js';
import { ecKey, keyTexts, rsaKey } from '../helpers/keys.js';

const rsa = rsaKey();
const ec = ecKey();

describe('loadSigningKey', () => {
  it.each([
    ['PKCS#8 PEM', rsa.pem],
    ['PKCS#1 PEM', rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()],
    ['PEM with literal \\n escapes (an environment variable)', rsa.pem.trim().replace(/\n/g, '\\n')],
    ['JWK object', rsa.jwk as unknown as Record<string, unknown>],
    ['JWK as JSON text', JSON.stringify(rsa.jwk)],
  ])('reads an RSA key as %s and signs RS256', async (_name, input) => {
    const key = loadSigningKey(input);
    expect(key.alg).toBe('RS256');
    const jwt = await key.sign({ typ: 'JWT' }, { sub: 'x' });
    await expect(jwtVerify(jwt, rsa.publicKey)).resolves.toMatchObject({ payload: { sub: 'x' } });
  });

  it.each([
    ['PKCS#8 PEM', ec.pem],
    ['SEC1 PEM', ec.privateKey.export({ type: 'sec1', format: 'pem' }).toString()],
    ['JWK object', ec.jwk as unknown as Record<string, unknown>],
  ])('reads a P-256 key as %s and signs ES256', async (_name, input) => {
    const key = loadSigningKey(input);
    expect(key.alg).toBe('ES256');
    await expect(jwtVerify(await key.sign({}, { sub: 'y' }), ec.publicKey)).resolves.toBeDefined();
  });

  it('picks ES384 for P-384 and takes kid from the JWK unless keyId is given', async () => {
    const p384 = ecKey('k384', 'P-384');
    expect(loadSigningKey(p384.jwk as unknown as Record<string, unknown>).alg).toBe('ES384');
    expect(decodeProtectedHeader(await loadSigningKey(JSON.stringify(p384.jwk)).sign({}, {})).kid).toBe('k384');
    expect(decodeProtectedHeader(await loadSigningKey(JSON.stringify(p384.jwk), 'override').sign({}, {})).kid).toBe('override');
    expect(decodeProtectedHeader(await loadSigningKey(p384.pem).sign({}, {})).kid).toBeUndefined();
  });

  it.each([
    ['', /empty/],
    ['not a key', /neither a PEM private key/],
    [rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString(), /public key/],
    [JSON.stringify(rsa.publicJwk), /public JWK/],
    [JSON.stringify({ keys: [rsa.jwk] }), /JWK Set/],
    [JSON.stringify({ kty: 'oct', k: 'c2VjcmV0' }), /only RSA and EC/],
    ['{ not json', /not valid JSON/],
    [rsa.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' }).toString(), /encrypted/],
    [generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), /2048/],
    [generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), /curve/],
    [generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), /only RSA and EC/],
    [rsa.pem.slice(0, 200) + '\n-----END PRIVATE KEY-----', /cannot read/],
  ])('refuses %#, saying why without quoting the key', (input, why) => {
    const problem = privateKeyProblem(input);
    expect(problem).toMatch(why);
    for (const text of keyTexts(rsa)) expect(problem).not.toContain(text);
  });

  it('throws an OktaError with a stable code for an unusable key, without the key', () => {
    const error = (() => {
      try {
        loadSigningKey(rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString());
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(PrivateKeyError);
    expect(error).toBeInstanceOf(OktaError);
    expect(error).toMatchObject({ name: 'PrivateKeyError', code: 'invalid_private_key' });
  });

  it('never shows key material in String, JSON or inspect', () => {
    const key = loadSigningKey(rsa.pem, 'kid-1');
    const shown = [String(key), `${key}`, JSON.stringify(key), inspect(key, { depth: 10, showHidden: true }), inspect({ key }, { depth: 10 })].join('\n');
    for (const text of keyTexts(rsa)) expect(shown).not.toContain(text);
    expect(JSON.parse(JSON.stringify(key))).toEqual({ alg: 'RS256', kid: 'kid-1' });
  });

  it('lists every text that would disclose the key, for scrubbing', () => {
    const parts = loadSigningKey(rsa.pem).secretParts();
    for (const text of keyTexts(rsa)) expect(parts.some((p) => p.includes(text))).toBe(true);
    expect(parts).toContain(rsa.d);
    const fromJwk = loadSigningKey(JSON.stringify(ec.jwk)).secretParts();
    expect(fromJwk).toContain(ec.d);
    expect(fromJwk).toContain(JSON.stringify(ec.jwk));
  });

  it('publishes only the public members of the proof key', () => {
    const key = generateProofKey();
    expect(key.alg).toBe('ES256');
    expect(Object.keys(key.publicJwk).sort()).toEqual(['crv', 'kty', 'x', 'y']);
  });
});

/**
 * The keys of the OAuth 2.0 flow: the service app's private key (signs the client assertion)
 * and the connector's own DPoP key (signs the proofs). Both live in {@link SigningKey}, which
 * never shows key material: not in `String()`, JSON, `util.inspect` or an error message.
 * Parsing and signing are node:crypto and jose: no home-made cryptography.
 * @module
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type JsonWebKey, type KeyObject } from 'node:crypto';
import { inspect } from 'node:util';
import type { JWTPayload } from 'jose';
import { OktaError } from '../errors.js';

/**
 * The JWS algorithms the connector signs with.
 */
export type SigningAlgorithm = 'RS256' | 'RS384' | 'RS512' | 'ES256' | 'ES384' | 'ES512';

/**
 * What `oauth.privateKey` may be: a PEM text, a JWK object, or a JWK as JSON text.
 */
export type PrivateKeyInput = string | Record<string, unknown>;

/**
 * The public members of a JWK, as sent in a DPoP proof's `jwk` header.
 */
export type PublicJwk = { kty: string } & Record<string, string>;

const RSA_ALGORITHMS: readonly SigningAlgorithm[] = ['RS256', 'RS384', 'RS512'];
/** The EC curves Okta accepts for `private_key_jwt` and DPoP, with their algorithm (RFC 7518 §3.4). */
const EC_ALGORITHMS: Record<string, SigningAlgorithm> = { prime256v1: 'ES256', secp384r1: 'ES384', secp521r1: 'ES512' };
/** JWK members that are private (RFC 7518 §6.2.2 and §6.3.2): never shown, always scrubbed. */
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi'] as const;

/** Thrown by {@link loadSigningKey}; its message never contains key material. */
export class PrivateKeyError extends OktaError {
  override readonly name = 'PrivateKeyError';
  constructor(message: string) {
    super(message, 'invalid_private_key');
  }
}

/**
 * A private signing key that cannot leak by accident. Holds the node:crypto `KeyObject`, its
 * algorithm and public JWK; {@link SigningKey.sign} is the only thing that uses the private half.
 */
export class SigningKey {
  readonly #key: KeyObject;
  readonly #secretParts: readonly string[];
  /** The JWS algorithm, from the key type and curve. */
  readonly alg: SigningAlgorithm;
  /** The `kid` header of what this key signs, when known. */
  readonly kid: string | undefined;
  /** The public half as a JWK (kty, n/e or crv/x/y only). */
  readonly publicJwk: PublicJwk;

  /**
   * Use {@link loadSigningKey} or {@link generateProofKey}.
   */
  constructor(key: KeyObject, alg: SigningAlgorithm, kid: string | undefined, sourceTexts: readonly string[] = []) {
    this.#key = key;
    this.alg = alg;
    this.kid = kid;
    this.publicJwk = publicMembers(createPublicKey(key).export({ format: 'jwk' }));
    this.#secretParts = secretPartsOf(key, sourceTexts);
  }

  /**
   * Signs `payload` as a compact JWS with `alg` (and `kid` when known) in the protected header.
   */
  async sign(header: Record<string, unknown>, payload: JWTPayload): Promise<string> {
    const protectedHeader = { ...header, alg: this.alg, ...(this.kid !== undefined && header.kid === undefined ? { kid: this.kid } : {}) };
    // Loaded on first use: API-token deployments never pay for jose's memory.
    const { SignJWT } = await import('jose');
    return new SignJWT(payload).setProtectedHeader(protectedHeader).sign(this.#key);
  }

  /**
   * Every text that would disclose this key (the PEM or JWK it came from, its base64 body and
   * lines, the private JWK members), for the client to scrub from messages.
   */
  secretParts(): string[] {
    return [...this.#secretParts];
  }

  toString(): string {
    return `SigningKey(${this.alg}, [redacted])`;
  }

  toJSON(): { alg: SigningAlgorithm; kid?: string } {
    return { alg: this.alg, ...(this.kid !== undefined ? { kid: this.kid } : {}) };
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/**
 * Why `input` is not a usable private key, or null when it is. The message never quotes the key.
 */
export function privateKeyProblem(input: unknown): string | null {
  try {
    loadSigningKey(input as PrivateKeyInput);
    return null;
  } catch (error) {
    if (error instanceof PrivateKeyError) return error.message;
    return 'could not be read as a private key';
  }
}

/**
 * Parses the service app's private key: PEM (PKCS#8, PKCS#1 RSA or SEC1 EC; `\n` escapes from an
 * environment variable are accepted), a JWK object, or a JWK as JSON text. RSA keys sign with
 * RS256 (or the JWK's `alg`), EC keys with ES256/ES384/ES512 by curve: the algorithms Okta accepts
 * for `private_key_jwt`.
 * https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/#create-a-public-private-key-pair
 */
export function loadSigningKey(input: PrivateKeyInput, keyId?: string): SigningKey {
  const { key, jwk, texts } = parse(input);
  const alg = algorithmOf(key, typeof jwk?.alg === 'string' ? jwk.alg : undefined);
  const kid = keyId ?? (typeof jwk?.kid === 'string' && jwk.kid !== '' ? jwk.kid : undefined);
  return new SigningKey(key, alg, kid, texts);
}

/**
 * A fresh P-256 key pair for DPoP proofs (ES256), held in memory only. RFC 9449 lets the client
 * choose the proof key; an ephemeral one means a DPoP-bound token is useless anywhere else, and
 * the service app's key signs nothing but client assertions.
 * https://www.rfc-editor.org/rfc/rfc9449#section-4
 */
export function generateProofKey(): SigningKey {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return new SigningKey(privateKey, 'ES256', undefined);
}

function parse(input: PrivateKeyInput): { key: KeyObject; jwk: Record<string, unknown> | undefined; texts: string[] } {
  if (typeof input === 'string') {
    const text = input.trim();
    if (text === '') throw new PrivateKeyError('is empty');
    if (text.startsWith('{')) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new PrivateKeyError('looks like JSON but is not valid JSON (give a PEM text or a JWK)');
      }
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new PrivateKeyError('is JSON but not a JWK object');
      const fromJwk = parse(parsed as Record<string, unknown>);
      return { ...fromJwk, texts: [input, text, ...fromJwk.texts] };
    }
    return { key: fromPem(text), jwk: undefined, texts: [input, ...pemTexts(text)] };
  }
  if (input === null || typeof input !== 'object' || Array.isArray(input)) throw new PrivateKeyError('must be a PEM text or a JWK object');
  if ('keys' in input) throw new PrivateKeyError('is a JWK Set: give the one private JWK (the object with "d"), not {"keys": [...]}');
  if (typeof input.kty !== 'string') throw new PrivateKeyError('is not a JWK: it has no "kty"');
  if (input.kty !== 'RSA' && input.kty !== 'EC') throw new PrivateKeyError(`has kty "${String(input.kty).slice(0, 8)}": only RSA and EC keys are supported`);
  if (typeof input.d !== 'string') throw new PrivateKeyError('is a public JWK (no "d"): give the private key; the public one is what you register in Okta');
  try {
    return { key: createPrivateKey({ key: input as JsonWebKey, format: 'jwk' }), jwk: input, texts: [] };
  } catch {
    throw new PrivateKeyError('is a JWK that node:crypto cannot import (check its members)');
  }
}

function fromPem(text: string): KeyObject {
  // An environment variable often carries the PEM on one line with literal "\n" escapes.
  const pem = text.includes('\n') ? text : text.replace(/\\n/g, '\n');
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----/.test(pem)) throw new PrivateKeyError('is an encrypted PEM: give the unencrypted key (keep it in a secret store instead)');
  if (/-----BEGIN (RSA |EC )?PUBLIC KEY-----|-----BEGIN CERTIFICATE-----/.test(pem)) {
    throw new PrivateKeyError('is a public key or certificate: give the private key; the public one is what you register in Okta');
  }
  if (!/-----BEGIN (RSA |EC )?PRIVATE KEY-----/.test(pem)) throw new PrivateKeyError('is neither a PEM private key ("-----BEGIN PRIVATE KEY-----") nor a JWK');
  try {
    return createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw new PrivateKeyError('is a PEM block that node:crypto cannot read (cut off or corrupted?)');
  }
}

function algorithmOf(key: KeyObject, jwkAlg: string | undefined): SigningAlgorithm {
  if (key.asymmetricKeyType === 'rsa') {
    // Okta's key generator and guides use 2048-bit RSA; shorter keys are not safe to accept.
    if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) throw new PrivateKeyError('is an RSA key shorter than 2048 bits');
    if (jwkAlg === undefined) return 'RS256';
    if (RSA_ALGORITHMS.includes(jwkAlg as SigningAlgorithm)) return jwkAlg as SigningAlgorithm;
    throw new PrivateKeyError(`is an RSA JWK with "alg": "${jwkAlg.slice(0, 8)}": use RS256, RS384 or RS512`);
  }
  if (key.asymmetricKeyType === 'ec') {
    const alg = EC_ALGORITHMS[key.asymmetricKeyDetails?.namedCurve ?? ''];
    if (alg === undefined) throw new PrivateKeyError('is an EC key on a curve Okta does not accept: use P-256, P-384 or P-521');
    if (jwkAlg !== undefined && jwkAlg !== alg) throw new PrivateKeyError(`is an EC JWK whose "alg" does not match its curve (expected ${alg})`);
    return alg;
  }
  throw new PrivateKeyError(`is a ${key.asymmetricKeyType ?? 'symmetric'} key: only RSA and EC keys are supported`);
}

function publicMembers(jwk: JsonWebKey): PublicJwk {
  const keep = jwk.kty === 'RSA' ? ['kty', 'n', 'e'] : ['kty', 'crv', 'x', 'y'];
  const out: Record<string, string> = {};
  for (const name of keep) {
    const value = jwk[name];
    if (typeof value === 'string') out[name] = value;
  }
  return out as PublicJwk;
}

/** The PEM text, its base64 body joined, and each base64 line: any of them could end up quoted. */
function pemTexts(pem: string): string[] {
  const lines = pem
    .replace(/\\n/g, '\n')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('-----'));
  return [pem, lines.join(''), ...lines.filter((l) => l.length >= 16)];
}

function secretPartsOf(key: KeyObject, sourceTexts: readonly string[]): string[] {
  const jwk = key.export({ format: 'jwk' });
  const members = PRIVATE_JWK_MEMBERS.map((m) => jwk[m]).filter((v): v is string => typeof v === 'string');
  // Longest first, so that a whole PEM is replaced before one of its lines.
  return [...new Set([...sourceTexts, ...members])].filter((t) => t.length > 0).sort((a, b) => b.length - a.length);
}

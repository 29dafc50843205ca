import { generateKeyPairSync, type JsonWebKey, type KeyObject } from 'node:crypto';

/** A test key pair in every form the connector accepts, plus the public half Okta would hold. */
export interface TestKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`). */
  pem: string;
  /** The private JWK (with `d`). */
  jwk: JsonWebKey & { kid: string };
  /** The public JWK, as registered on the service app. */
  publicJwk: JsonWebKey & { kid: string };
  /** The private member `d`: must never appear anywhere. */
  d: string;
}

function wrap(privateKey: KeyObject, publicKey: KeyObject, kid: string): TestKey {
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid };
  return {
    privateKey,
    publicKey,
    pem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    jwk,
    publicJwk: { ...publicKey.export({ format: 'jwk' }), kid },
    d: jwk.d!,
  };
}

/** A 2048-bit RSA key (RS256). */
export function rsaKey(kid = 'rsa-key-1'): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return wrap(privateKey, publicKey, kid);
}

/** A P-256 key (ES256). */
export function ecKey(kid = 'ec-key-1', namedCurve = 'P-256'): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve });
  return wrap(privateKey, publicKey, kid);
}

/** Every text that would disclose `key`: its PEM body lines and private JWK members. */
export function keyTexts(key: TestKey): string[] {
  const lines = key.pem.split('\n').filter((l) => l !== '' && !l.startsWith('-----'));
  const members = (['d', 'p', 'q', 'dp', 'dq', 'qi'] as const).map((m) => key.jwk[m]).filter((v): v is string => typeof v === 'string');
  return [...lines, ...members];
}

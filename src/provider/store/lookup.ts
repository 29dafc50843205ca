/**
 * The lookup maps behind resolveAppUser on a synced index: who owns an account in an app (by
 * userName, case-insensitively, or externalId, exactly), and whose Okta login or primary email a
 * value is. Each map is built on first use, then kept current as people are put and removed.
 * @module
 */
import type { Identity } from '../../sdk.js';

type Lookup = Map<string, Set<string>>;

const accountKey = (appId: string, kind: 'u' | 'x', value: string): string => `${appId}\u0000${kind}\u0000${value}`;

function accountKeys(identity: Identity): string[] {
  return identity.accounts.flatMap((a) => [accountKey(a.appId, 'u', a.userName.toLowerCase()), ...(a.externalId === null ? [] : [accountKey(a.appId, 'x', a.externalId)])]);
}

function oktaKeys(identity: Identity): string[] {
  return [identity.login.toLowerCase(), ...(identity.email ? [identity.email.toLowerCase()] : [])];
}

export class StoreLookup {
  private byAccount: Lookup | undefined;
  private byOkta: Lookup | undefined;

  /** `everyone` lists the identities a map is built from. */
  constructor(private readonly everyone: () => Iterable<Identity>) {}

  /** Whether a map is built (then a change must reach it). */
  get built(): boolean {
    return this.byAccount !== undefined || this.byOkta !== undefined;
  }

  /** Ids of the people with `account` in app `appId`. */
  accountOwners(appId: string, account: string): string[] {
    this.byAccount ??= this.build(accountKeys);
    return [accountKey(appId, 'u', account.toLowerCase()), accountKey(appId, 'x', account)].flatMap((key) => [...(this.byAccount!.get(key) ?? [])]);
  }

  /** Ids of the people whose login or primary email is `value` (case-insensitively). */
  oktaOwners(value: string): string[] {
    this.byOkta ??= this.build(oktaKeys);
    return [...(this.byOkta.get(value.toLowerCase()) ?? [])];
  }

  /** Drops both maps (a sync adds what it reads piece by piece: they are built again when asked). */
  reset(): void {
    this.byAccount = undefined;
    this.byOkta = undefined;
  }

  add(identity: Identity): void {
    this.edit(identity, (map, key) => {
      const set = map.get(key);
      if (set) set.add(identity.id);
      else map.set(key, new Set([identity.id]));
    });
  }

  remove(identity: Identity): void {
    this.edit(identity, (map, key) => map.get(key)?.delete(identity.id));
  }

  private edit(identity: Identity, apply: (map: Lookup, key: string) => void): void {
    if (this.byAccount) for (const key of accountKeys(identity)) apply(this.byAccount, key);
    if (this.byOkta) for (const key of oktaKeys(identity)) apply(this.byOkta, key);
  }

  private build(keys: (identity: Identity) => string[]): Lookup {
    const map: Lookup = new Map();
    for (const identity of this.everyone()) {
      for (const key of keys(identity)) {
        const set = map.get(key);
        if (set) set.add(identity.id);
        else map.set(key, new Set([identity.id]));
      }
    }
    return map;
  }
}

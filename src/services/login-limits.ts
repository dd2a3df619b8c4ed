// The limits on failed logins, read from the config, and the buckets one
// login attempt is counted in.
import type { Config } from '../config/index.js';
import type { RateLimit, RateRule } from './rate-limiter.js';

/** Failed logins allowed per account from one address, per account from anywhere, per address on any account. */
export interface LoginRules {
  accountFromAddress: RateRule;
  account: RateRule;
  address: RateRule;
}

export function loginRulesFrom(rateLimits: Config['rateLimits']): LoginRules {
  return {
    accountFromAddress: { limit: rateLimits.loginFailures, windowSeconds: rateLimits.loginWindowSeconds },
    account: { limit: rateLimits.loginAccountFailures, windowSeconds: rateLimits.loginAccountWindowSeconds },
    address: { limit: rateLimits.loginAddressFailures, windowSeconds: rateLimits.loginAddressWindowSeconds },
  };
}

// Three limits, so that an attack on one account spares the other users
// behind the same address (an office NAT): the strict one holds that
// account from that address, the account-wide one a guess spread over many
// addresses, and the address-wide one (well above the others) credential
// stuffing across accounts. The email is lower-cased whether or not it
// exists, so an unknown one is limited alike. The client address never
// holds a space, so the pair's key cannot be read two ways.
export function loginLimits(rules: LoginRules, email: string, clientAddress: string): RateLimit[] {
  const account = email.toLowerCase();
  return [
    { bucket: `login:account-from-address:${clientAddress} ${account}`, rule: rules.accountFromAddress },
    { bucket: `login:account:${account}`, rule: rules.account },
    { bucket: `login:address:${clientAddress}`, rule: rules.address },
  ];
}

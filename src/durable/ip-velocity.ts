/** Failed logins seen from one source (an IPv4 address or an IPv6 /64). */
export interface IpFailureState {
  /** Failure times and a hash of the account each one targeted, oldest first, within the window. */
  failures: { at: number; account: string }[];
  blockedUntil: number;
}

export interface IpVelocityPolicy {
  /** Failures from this source within the window before it is blocked (credential stuffing). */
  failureLimit: number;
  /** Distinct accounts failed from this source within the window before it is blocked (password spraying). */
  accountLimit: number;
  windowSeconds: number;
}

export const emptyIpState: IpFailureState = { failures: [], blockedUntil: 0 };

/** Adds a failure, forgets those outside the window, and blocks the source for the rest of the window once a limit is crossed. */
export function afterIpFailure(state: IpFailureState, now: number, account: string, policy: IpVelocityPolicy): IpFailureState {
  const windowMs = policy.windowSeconds * 1000;
  const failures = [...state.failures.filter((failure) => now - failure.at < windowMs), { at: now, account }];
  // Keep memory bounded: beyond the limit the extra entries change nothing.
  const kept = failures.slice(-(policy.failureLimit + 1));
  const accounts = new Set(failures.map((failure) => failure.account)).size;
  const tripped = failures.length >= policy.failureLimit || accounts >= policy.accountLimit;
  const oldest = kept[0]?.at ?? now;
  return { failures: kept, blockedUntil: tripped ? Math.max(state.blockedUntil, oldest + windowMs, now + 60_000) : state.blockedUntil };
}

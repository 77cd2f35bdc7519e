import { type Attempt, BROWSERS, DAY, HOUR, habit, MINUTE, MONDAY, type Origin, PLACES, rotatingIp, type Scenario, withBotScore } from "./model";

/** Attackers, and owners whose accounts are being attacked. */

const home: Origin = { cf: PLACES.berlin, ip: "84.128.1.10", device: "laptop", userAgent: BROWSERS.chromeMac };
const usual = (account = "anna") => habit(account, home, { days: 15, hourUtc: 6 });
const later = (hour: number, minutes = 0) => 21 * DAY + hour * HOUR + minutes * MINUTE;

function attacker(at: number, from: Origin, expect: Attempt["expect"], extra: Partial<Attempt> = {}): Attempt {
  return { at, account: "anna", who: "attacker", ...from, credentials: "right", expect, ...extra };
}

function owner(at: number, expect: Attempt["expect"], extra: Partial<Attempt> = {}): Attempt {
  return { at, account: "anna", who: "legit", ...home, credentials: "right", expect, ...extra };
}

const VICTIM_HOMES = [PLACES.berlin, PLACES.munich, PLACES.hamburg, PLACES.paris, PLACES.london];

/**
 * Credential stuffing: a leaked list tried against 1,000 accounts, each once, from 1,000 rotating cloud
 * addresses, about 100 a minute. 3% of the pairs are right. Per-source and per-account counts stay at one;
 * the service-wide failure rate (the sharded counter) is what notices.
 */
function credentialStuffing(): Scenario {
  const attempts: Attempt[] = [];
  for (let i = 0; i < 1000; i++) {
    const victimHome = VICTIM_HOMES[i % VICTIM_HOMES.length] ?? PLACES.berlin;
    attempts.push({
      at: (i % 5) * DAY + 7 * HOUR,
      account: `victim-${i}`,
      who: "legit",
      cf: victimHome,
      ip: rotatingIp(i, 80),
      device: `victim-${i}-laptop`,
      userAgent: BROWSERS.chromeMac,
      credentials: "right",
      expect: "allow",
      warmup: true,
    });
    const from = i % 2 === 0 ? PLACES.awsVirginia : PLACES.digitalOceanFrankfurt;
    const right = i % 33 === 5;
    attempts.push({
      at: 7 * DAY + 3 * HOUR + i * 600,
      account: `victim-${i}`,
      who: "attacker",
      cf: from,
      ip: rotatingIp(i, 100),
      device: `stuffer-${i}`,
      userAgent: BROWSERS.chromeAndroid,
      credentials: right ? "right" : "wrong",
      // A hit from a cloud abroad is refused; from a cloud in the victim's own country it needs a second factor.
      expect: right ? (from.country === victimHome.country ? "step_up" : "deny") : "failed",
    });
  }
  return {
    id: "credential-stuffing",
    title: "Credential stuffing across 1,000 accounts from rotating IPs",
    story:
      "1,000 leaked pairs, one try each from 1,000 cloud addresses in 10 minutes: the 31 right pairs are refused, or held at a second factor when the cloud is in the victim's country.",
    start: MONDAY,
    attempts,
  };
}

/**
 * Password spraying: one common password against 40 accounts from one cloud address. The source guard
 * blocks after 20 accounts; the one account that used the sprayed password is refused.
 */
function passwordSpraying(): Scenario {
  const attempts: Attempt[] = [];
  for (let i = 0; i < 40; i++) {
    attempts.push({ ...habit(`user-${i}`, home, { days: 3, hourUtc: 6 })[0], device: `user-${i}-laptop` } as Attempt);
    const right = i === 12;
    attempts.push({
      at: 7 * DAY + 2 * HOUR + i * 20_000,
      account: `user-${i}`,
      who: "attacker",
      cf: PLACES.hetznerFalkenstein,
      ip: "88.99.10.11",
      device: `sprayer-${i}`,
      userAgent: BROWSERS.pythonRequests,
      credentials: right ? "right" : "wrong",
      commonPassword: true,
      // 20 distinct accounts failed from one source trip its block (LOGIN_IP_ACCOUNT_LIMIT): attempt 21 onwards is throttled.
      expect: right ? "deny" : i <= 20 ? "failed" : "throttled",
    });
  }
  return {
    id: "password-spraying",
    title: "Password spraying from one cloud address",
    story: "One common password tried on 40 accounts from one server: blocked after 20 accounts, and the one hit is refused.",
    start: MONDAY,
    attempts,
  };
}

/** Low-and-slow spraying through residential proxies: 200 accounts, 2 per address, over 3 hours. */
function slowSpraying(): Scenario {
  const attempts: Attempt[] = [];
  for (let i = 0; i < 200; i++) {
    attempts.push({ ...habit(`user-${i}`, home, { days: 3, hourUtc: 6 })[0], device: `user-${i}-laptop` } as Attempt);
    const right = i === 77;
    attempts.push({
      at: 7 * DAY + 9 * HOUR + i * 54_000,
      account: `user-${i}`,
      who: "attacker",
      cf: PLACES.berlinMobile,
      ip: rotatingIp(i >> 1, 37),
      device: `proxy-${i}`,
      userAgent: BROWSERS.chromeAndroid,
      credentials: right ? "right" : "wrong",
      commonPassword: true,
      expect: right ? "step_up" : "failed",
    });
  }
  return {
    id: "slow-spraying",
    title: "Slow password spraying through residential proxies",
    story: "A common password on 200 accounts, two per home address, in the victims' own city: no count trips, but the hit still needs a second factor.",
    start: MONDAY,
    attempts,
  };
}

/** Someone with the password hammers one account; the owner keeps using their usual laptop. */
function hammered(id: string, distributed: boolean): Scenario {
  const attempts: Attempt[] = [...usual()];
  for (let i = 0; i < 60; i++) {
    attempts.push(
      attacker(
        later(5) + i * 30_000,
        { ...home, cf: PLACES.moscow, ip: distributed ? rotatingIp(i, 95) : "95.31.0.7", device: `guesser-${i}`, userAgent: BROWSERS.curl },
        "rejected",
        {
          credentials: "wrong",
        },
      ),
    );
  }
  attempts.push(owner(later(5, 20), distributed ? "step_up" : "allow"));
  attempts.push(owner(later(5, 40), distributed ? "step_up" : "allow"));
  attempts.push(owner(later(6) + DAY, "allow"));
  return {
    id,
    title: distributed ? "Owner on their laptop while a botnet guesses their password" : "Owner on their laptop while one address guesses their password",
    story: distributed
      ? "60 wrong passwords from 60 addresses in 30 minutes; the owner's laptop has its own backoff lane, so the owner is never throttled. The many-sources signal asks for a second factor while the failures are recent; the next day's login is smooth again."
      : "60 wrong passwords from one address in 30 minutes; the owner's laptop has its own backoff lane and logs straight in.",
    start: MONDAY,
    attempts,
  };
}

export const ATTACKS: Scenario[] = [
  credentialStuffing(),
  passwordSpraying(),
  slowSpraying(),
  hammered("hammered-one-source", false),
  hammered("hammered-botnet", true),
  {
    id: "hammered-new-phone",
    title: "Owner on a new phone while their account is hammered",
    story: "A new phone has no backoff lane of its own: it shares the attackers' backoff and waits (never more than 15 minutes), then gets one second factor.",
    start: MONDAY,
    attempts: [
      ...usual(),
      ...Array.from({ length: 20 }, (_, i) =>
        attacker(later(5) + i * 20_000, { ...home, cf: PLACES.moscow, ip: rotatingIp(i, 95), device: `guesser-${i}`, userAgent: BROWSERS.curl }, "rejected", {
          credentials: "wrong",
        }),
      ),
      owner(later(5, 7), "throttled", { device: "new-phone", userAgent: BROWSERS.safariIphone }),
      owner(later(5, 30), "step_up", { device: "new-phone", userAgent: BROWSERS.safariIphone }),
    ],
  },
  {
    id: "shared-nat",
    title: "Owner behind the same carrier NAT as a sprayer",
    story:
      "A sprayer on the owner's mobile carrier shares the owner's public address; the source block catches the owner too (per-source limits cannot tell them apart).",
    start: MONDAY,
    attempts: [
      ...usual(),
      ...Array.from({ length: 25 }, (_, i) =>
        attacker(
          later(5) + i * 10_000,
          { ...home, cf: PLACES.berlinMobile, ip: "100.64.7.7", device: `nat-sprayer-${i}`, userAgent: BROWSERS.chromeAndroid },
          "rejected",
          {
            account: `someone-${i}`,
            credentials: "wrong",
          },
        ),
      ),
      owner(later(5, 10), "throttled", { cf: PLACES.berlinMobile, ip: "100.64.7.7" }),
      owner(later(5, 15), "allow"),
    ],
  },
  {
    id: "session-thief",
    title: "Thief with the password in another country",
    story:
      "A phished password used from Lagos an hour after the owner logged in from Berlin (impossible travel: refused), then again the next day (second factor, which the thief cannot pass).",
    start: MONDAY,
    attempts: [
      ...usual(),
      owner(later(6), "allow"),
      attacker(later(7), { cf: PLACES.lagos, ip: "102.89.3.4", device: "thief-pc", userAgent: BROWSERS.firefoxWindows }, "deny"),
      attacker(later(9) + DAY, { cf: PLACES.lagos, ip: "102.89.3.4", device: "thief-pc", userAgent: BROWSERS.firefoxWindows }, "step_up"),
      owner(later(6) + 2 * DAY, "allow"),
    ],
  },
  {
    id: "bot-low-score",
    title: "Bot with a low bot score",
    story: "An automated client with the right password from the victim's own country: a certain bot is refused, a likely bot needs a second factor.",
    start: MONDAY,
    attempts: [
      ...usual(),
      attacker(later(10), { cf: withBotScore(PLACES.munich, 3), ip: "93.104.1.2", device: "headless-1", userAgent: BROWSERS.chromeMac }, "deny"),
      attacker(later(11), { cf: withBotScore(PLACES.munich, 22), ip: "93.104.1.3", device: "headless-2", userAgent: BROWSERS.chromeMac }, "step_up"),
      owner(later(6) + DAY, "allow", { cf: withBotScore(PLACES.berlin, 91) }),
    ],
  },
  {
    id: "anonymizer-attacker",
    title: "Attacker through a VPN exit",
    story: "The right password through an anonymising network in another country, on a new device: refused.",
    start: MONDAY,
    attempts: [
      ...usual(),
      attacker(later(12), { cf: PLACES.vpnAmsterdam, ip: "89.38.97.99", device: "vpn-attacker", userAgent: BROWSERS.firefoxWindows }, "deny"),
    ],
  },
  {
    id: "cloud-attacker-same-country",
    title: "Attacker on a cloud server in the victim's country",
    story: "The right password from a DigitalOcean server in Frankfurt: a new device on a hosting network needs a second factor.",
    start: MONDAY,
    attempts: [
      ...usual(),
      attacker(later(12), { cf: PLACES.digitalOceanFrankfurt, ip: "164.90.1.2", device: "vps", userAgent: BROWSERS.chromeMac }, "step_up"),
    ],
  },
  {
    id: "after-attacker-reset",
    title: "Attacker logs in after resetting the password",
    story: "Took over the mailbox, reset the password and logs in from abroad on a new device: a second factor the attacker does not have.",
    start: MONDAY,
    events: [{ at: later(11), account: "anna", event: "password_reset" }],
    attempts: [...usual(), attacker(later(11, 5), { cf: PLACES.saoPaulo, ip: "177.1.2.3", device: "taker", userAgent: BROWSERS.chromeMac }, "step_up")],
  },
  {
    id: "push-fatigue",
    title: "Push-fatigue attacker",
    story: "Has the password; each login sends the owner a push. After the owner denies one, further tries are refused instead of pushing again.",
    start: MONDAY,
    attempts: [
      ...usual(),
      attacker(later(20), { cf: PLACES.moscow, ip: "95.31.8.8", device: "pusher", userAgent: BROWSERS.chromeMac }, "step_up", { secondFactor: "push_denied" }),
      attacker(later(20, 2), { cf: PLACES.moscow, ip: "95.31.8.8", device: "pusher", userAgent: BROWSERS.chromeMac }, "deny"),
      attacker(later(20, 4), { cf: PLACES.moscow, ip: "95.31.8.8", device: "pusher", userAgent: BROWSERS.chromeMac }, "deny"),
      owner(later(6) + DAY, "allow"),
    ],
  },
  {
    id: "cloned-passkey",
    title: "Cloned passkey",
    story:
      "A copy of the owner's passkey is refused when its counter goes backwards; the owner still logs in, and the clone, even with a higher counter, then needs a second factor.",
    start: MONDAY,
    attempts: [
      ...usual().map((attempt) => ({ ...attempt, factor: "passkey" as const })),
      attacker(later(9), { cf: PLACES.london, ip: "81.2.69.1", device: "cloner", userAgent: BROWSERS.chromeMac }, "failed", {
        factor: "passkey",
        credentials: "cloned_passkey",
      }),
      owner(later(10), "allow", { factor: "passkey" }),
      attacker(later(12), { cf: PLACES.london, ip: "81.2.69.1", device: "cloner", userAgent: BROWSERS.chromeMac }, "step_up", { factor: "passkey" }),
    ],
  },
  {
    id: "copied-device-cookie",
    title: "Copied device cookie",
    story: "Malware copied the device cookie and the password; used from another browser and country, the known cookie does not hide the mismatch.",
    start: MONDAY,
    attempts: [...usual(), attacker(later(13), { cf: PLACES.tokyo, ip: "126.1.2.3", device: "laptop", userAgent: BROWSERS.firefoxWindows }, "step_up")],
  },
  {
    id: "flatmate",
    title: "Flatmate on the owner's Wi-Fi",
    story: "Knows the password and uses their own laptop on the same home network: only the new device gives them away, which is enough for a second factor.",
    start: MONDAY,
    attempts: [...usual(), attacker(later(16), { ...home, device: "flatmate-laptop", userAgent: BROWSERS.firefoxWindows }, "step_up")],
  },
  {
    id: "stolen-laptop",
    title: "Stolen unlocked laptop with a saved password",
    story: "The thief has the owner's device and network habits: no signal can tell them apart (a known limit; session revocation is the answer).",
    start: MONDAY,
    attempts: [...usual(), attacker(later(9), { ...home, cf: PLACES.berlinMobile, ip: "2a01:598:ffff:1::9" }, "allow")],
  },
  {
    id: "brute-force-passkey-owner",
    title: "Guessing a passkey user's password",
    story: "The owner only uses a passkey; 30 wrong passwords from one address slow the guesser down and never touch the passkey login.",
    start: MONDAY,
    attempts: [
      ...usual().map((attempt) => ({ ...attempt, factor: "passkey" as const })),
      ...Array.from({ length: 30 }, (_, i) =>
        attacker(later(3) + i * 60_000, { cf: PLACES.saoPaulo, ip: "177.9.9.9", device: `guess-${i}`, userAgent: BROWSERS.pythonRequests }, "rejected", {
          credentials: "wrong",
        }),
      ),
      owner(later(6), "allow", { factor: "passkey" }),
    ],
  },
];

import { type Attempt, BROWSERS, DAY, HOUR, habit, MINUTE, MONDAY, type Origin, PLACES, type Scenario } from "./model";

/** Legitimate customers doing ordinary things. None of them should be refused; few should be asked for more. */

const home: Origin = { cf: PLACES.berlin, ip: "84.128.1.10", device: "laptop", userAgent: BROWSERS.chromeMac };
/** Three weeks of weekday logins at about 07:00 Berlin time, from home, on the laptop. */
const usual = (account = "anna") => habit(account, home, { days: 15, hourUtc: 6 });
/** Day 21 (a Monday), at `hour` UTC. */
const later = (hour: number, minutes = 0) => 21 * DAY + hour * HOUR + minutes * MINUTE;

function legit(at: number, from: Origin, expect: Attempt["expect"], extra: Partial<Attempt> = {}): Attempt {
  return { at, account: "anna", who: "legit", ...from, credentials: "right", expect, ...extra };
}

export const EVERYDAY: Scenario[] = [
  {
    id: "commuter",
    title: "Commuter between Berlin and Hamburg",
    story: "Lives in Berlin, works in Hamburg two days a week: logs in at home in the morning and at the office two hours later on the same laptop.",
    start: MONDAY,
    attempts: [
      ...usual(),
      legit(later(6), home, "allow"),
      legit(later(8, 30), { ...home, cf: PLACES.hamburgOffice, ip: "91.64.3.20" }, "allow"),
      legit(later(17), home, "allow"),
      legit(later(6) + DAY, home, "allow"),
      legit(later(8, 40) + DAY, { ...home, cf: PLACES.hamburgOffice, ip: "91.64.3.20" }, "allow"),
    ],
  },
  {
    id: "traveller",
    title: "Traveller flying Berlin to New York",
    story: "Logs in at home, flies to New York and logs in on arrival (a new country: one second factor), then every day of the trip without a prompt.",
    start: MONDAY,
    attempts: [
      ...usual(),
      legit(later(6), home, "allow"),
      legit(later(19), { ...home, cf: PLACES.newYork, ip: "24.44.7.9" }, "step_up"),
      legit(later(12) + DAY, { ...home, cf: PLACES.newYork, ip: "24.44.7.9" }, "allow"),
      legit(later(13) + 2 * DAY, { ...home, cf: PLACES.newYork, ip: "24.44.7.9" }, "allow"),
    ],
  },
  {
    id: "new-phone",
    title: "User on a new phone",
    story: "Signs in on a brand-new phone at home (one second factor), then uses it daily without prompts.",
    start: MONDAY,
    attempts: [
      ...usual(),
      legit(later(6, 30), { ...home, device: "new-iphone", userAgent: BROWSERS.safariIphone }, "step_up"),
      legit(later(6, 30) + DAY, { ...home, device: "new-iphone", userAgent: BROWSERS.safariIphone }, "allow"),
      legit(later(6) + 2 * DAY, home, "allow"),
    ],
  },
  {
    id: "mobile-data",
    title: "Known phone on mobile data",
    story: "The phone the user always uses at home, this time on the mobile network in the same city.",
    start: MONDAY,
    attempts: [...usual(), legit(later(6, 10), { ...home, cf: PLACES.berlinMobile, ip: "2a01:598:a1b2:1::7" }, "allow")],
  },
  {
    id: "vpn-user",
    title: "User who turns on a commercial VPN",
    story: "The next morning, the same laptop through a VPN exit in Amsterdam: an anonymiser in a new country gets a second factor, not a refusal.",
    start: MONDAY,
    attempts: [...usual(), legit(later(6, 20), { ...home, cf: PLACES.vpnAmsterdam, ip: "89.38.97.4" }, "step_up")],
  },
  {
    id: "vpn-toggle",
    title: "VPN switched on half an hour after a login",
    story:
      "Logs in at home, turns the VPN on 30 minutes later and logs in again: Berlin to Amsterdam in 30 minutes is no impossible travel, because a VPN exit's location says nothing about the user; the anonymiser in a new country gets a second factor.",
    start: MONDAY,
    attempts: [...usual(), legit(later(6), home, "allow"), legit(later(6, 30), { ...home, cf: PLACES.vpnAmsterdam, ip: "89.38.97.4" }, "step_up")],
  },
  {
    id: "dormant",
    title: "Dormant account comes back",
    story: "Seven months without a login, then back on the same laptop at home: a dormant account alone is not enough for a prompt.",
    start: MONDAY,
    attempts: [...usual(), legit(later(6) + 210 * DAY, home, "allow")],
  },
  {
    id: "passkey-new-device",
    title: "Passkey on a new laptop",
    story: "A synced passkey on a brand-new laptop at home: the passkey outweighs the new device, no extra prompt.",
    start: MONDAY,
    attempts: [...usual(), legit(later(6, 15), { ...home, device: "new-laptop", userAgent: BROWSERS.safariMac }, "allow", { factor: "passkey" })],
  },
  {
    id: "trusted-device-passkey",
    title: "Trusted device plus passkey",
    story: "A passkey on the usual laptop every morning: never a prompt.",
    start: MONDAY,
    attempts: [
      ...usual(),
      legit(later(6), home, "allow", { factor: "passkey" }),
      legit(later(6) + DAY, home, "allow", { factor: "passkey" }),
      legit(later(6) + 2 * DAY, home, "allow", { factor: "passkey" }),
    ],
  },
  {
    id: "family-computer",
    title: "Shared family computer",
    story: "Parent and teenager use the same home computer: each account knows the device once it logged in there.",
    start: MONDAY,
    attempts: [
      ...usual("parent").map((attempt) => ({ ...attempt, device: "family-pc", userAgent: BROWSERS.edgeWindows })),
      ...habit("teen", { ...home, device: "teen-phone", userAgent: BROWSERS.chromeAndroid }, { days: 10, hourUtc: 15 }),
      { ...legit(later(15), { ...home, device: "family-pc", userAgent: BROWSERS.edgeWindows }, "step_up"), account: "teen" },
      { ...legit(later(6) + DAY, { ...home, device: "family-pc", userAgent: BROWSERS.edgeWindows }, "allow"), account: "parent" },
      { ...legit(later(15) + DAY, { ...home, device: "family-pc", userAgent: BROWSERS.edgeWindows }, "allow"), account: "teen" },
    ],
  },
  {
    id: "night-shift",
    title: "Night-shift worker",
    story: "A nurse who logs in around 23:00 every night; a daytime login is unusual but known device and place keep it smooth.",
    start: MONDAY,
    attempts: [
      ...habit("nurse", home, { days: 15, hourUtc: 22 }),
      { ...legit(later(22), home, "allow"), account: "nurse" },
      { ...legit(later(12) + DAY, home, "allow"), account: "nurse" },
    ],
  },
  {
    id: "typos",
    title: "Two typos, then the right password",
    story: "The owner mistypes twice on the usual laptop, then gets it right: no backoff, no prompt.",
    start: MONDAY,
    attempts: [
      ...usual(),
      legit(later(6), home, "failed", { credentials: "wrong" }),
      legit(later(6) + 5_000, home, "failed", { credentials: "wrong" }),
      legit(later(6) + 12_000, home, "allow"),
    ],
  },
  {
    id: "after-own-reset",
    title: "Owner logs in after resetting their password",
    story: "Forgot the password, reset it, and logs in on the usual laptop: the recent reset adds a little, not a prompt.",
    start: MONDAY,
    events: [{ at: later(5, 50), account: "anna", event: "password_reset" }],
    attempts: [...usual(), legit(later(5, 40), home, "failed", { credentials: "wrong" }), legit(later(6), home, "allow")],
  },
  {
    id: "factor-added",
    title: "Owner added an authenticator app yesterday",
    story: "A recently added sign-in method on an otherwise ordinary login.",
    start: MONDAY,
    events: [{ at: later(18) - DAY, account: "anna", event: "factor_added" }],
    attempts: [...usual(), legit(later(6), home, "allow")],
  },
  {
    id: "first-login",
    title: "Brand-new account",
    story: "The very first login after sign-up has no history to compare with: allowed.",
    start: MONDAY,
    attempts: [legit(later(10), { ...home, device: "signup-browser" }, "allow"), legit(later(10) + DAY, { ...home, device: "signup-browser" }, "allow")],
  },
  {
    id: "no-cf",
    title: "No edge facts (local development)",
    story: "Without a `request.cf` object every place, network and bot signal is neutral; the known device is still recognised.",
    start: MONDAY,
    attempts: [...usual(), legit(later(6), { ...home, cf: null, ip: "127.0.0.1" }, "allow")],
  },
  {
    id: "cloud-desktop",
    title: "Developer on a cloud desktop",
    story: "Always logs in from a virtual desktop in a cloud data centre: the hosting network adds points, but not enough for a prompt.",
    start: MONDAY,
    attempts: [
      ...habit("dev", { ...home, cf: PLACES.awsVirginia, ip: "3.80.1.20" }, { days: 12, hourUtc: 14 }),
      { ...legit(later(14), { ...home, cf: PLACES.awsVirginia, ip: "3.80.1.20" }, "allow"), account: "dev" },
    ],
  },
  {
    id: "common-password",
    title: "Owner with a common password",
    story: "The password is on the breached list, but device and place are known: allowed (the account page nudges a change).",
    start: MONDAY,
    attempts: [...usual().map((attempt) => ({ ...attempt, commonPassword: true })), legit(later(6), home, "allow", { commonPassword: true })],
  },
  {
    id: "new-browser-same-laptop",
    title: "Second browser on the same laptop",
    story: "Opens Firefox instead of Chrome (no device cookie there yet): a new device, one second factor.",
    start: MONDAY,
    attempts: [...usual(), legit(later(6), { ...home, device: "laptop-firefox", userAgent: BROWSERS.firefoxWindows }, "step_up")],
  },
];

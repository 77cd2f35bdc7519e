import { randomBytes } from "../../lib/random";

/** How many numbers the approval page offers; one of them is the number on the login screen. */
export const CHOICE_COUNT = 3;

/**
 * Number matching against push fatigue: the login screen shows `match`, the approval page offers `choices`
 * (three distinct two-digit numbers in random order, `match` among them). Someone who only pushes the
 * notification, without seeing the login screen, picks right with chance 1/3 and a wrong pick denies.
 */
export function matchingNumbers(): { match: number; choices: number[] } {
  const choices: number[] = [];
  while (choices.length < CHOICE_COUNT) {
    const candidate = 10 + uniform(90);
    if (!choices.includes(candidate)) choices.push(candidate);
  }
  return { match: choices[uniform(CHOICE_COUNT)] as number, choices };
}

/** A uniform integer in [0, n) for n ≤ 256, by rejection sampling (no modulo bias). */
function uniform(n: number): number {
  const limit = 256 - (256 % n);
  for (;;) {
    for (const byte of randomBytes(8)) if (byte < limit) return byte % n;
  }
}

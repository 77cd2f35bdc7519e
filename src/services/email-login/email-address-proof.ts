import type { UserRow } from "../../storage/schema";
import { usersStore } from "../../storage/users-store";
import type { Deps } from "../deps";

/** A code or link that reached the mailbox proves the address: an unverified one becomes verified. */
export async function markAddressProven(deps: Pick<Deps, "db" | "clock">, user: UserRow): Promise<UserRow> {
  if (user.emailVerified) return user;
  return (await usersStore(deps.db).update(user.id, { emailVerified: true, updatedAt: deps.clock() })) ?? user;
}

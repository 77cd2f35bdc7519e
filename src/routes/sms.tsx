import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { phoneAccountRoutes } from "./sms/account";
import { smsLoginRoutes } from "./sms/login";
import { smsSecondFactorRoutes } from "./sms/second-factor";

/** Phone numbers and text messages: login by SMS code, SMS as a second factor, `/account/phone`. */
export const smsRoutes = new Hono<AppEnv>();
smsRoutes.route("/", smsLoginRoutes);
smsRoutes.route("/", smsSecondFactorRoutes);
smsRoutes.route("/", phoneAccountRoutes);

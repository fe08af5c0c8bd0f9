import { billingQuery, getBilling, topUp, topupSchema } from "../../billing/ledger";
import { json, withManagement } from "../management";

export const getBillingHandler = withManagement({ role: "member", query: billingQuery }, async ({ scope, query }) => json(await getBilling(scope, query)));

export const topUpHandler = withManagement({ role: "operator", body: topupSchema }, async ({ scope, body }) => json(await topUp(scope, body)));

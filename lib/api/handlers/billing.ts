import { billingQuery, getBilling, topUp, topupSchema } from "../../billing/ledger";
import { json, requireOperator, withManagement } from "../management";

export const getBillingHandler = withManagement({ query: billingQuery }, async ({ scope, query }) => json(await getBilling(scope, query)));

export const topUpHandler = withManagement({ body: topupSchema }, async ({ scope, body }) => {
  requireOperator(scope);
  return json(await topUp(scope, body));
});

import { expect, type APIRequestContext } from "@playwright/test";

/** Makes an existing account the operator with the admin key (playwright.config.ts sets it): an
 *  address in VECSTRUCT_ADMIN_EMAILS alone grants nothing until it is verified. */
export async function grantOperator(request: APIRequestContext, email: string) {
  const res = await request.post("/api/operators", { headers: { authorization: `Bearer ${process.env.E2E_ADMIN_KEY}` }, data: { email } });
  expect(res.status()).toBe(201);
}

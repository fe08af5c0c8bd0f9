import { throttleClient, throttleEmail } from "../../auth/throttle";
import { signUpSchema, signUpUniformly } from "../../auth/users";
import { sendExistingAccountNotice, sendVerification } from "../../auth/verification";
import { mailConfigured } from "../../auth/mail";
import { env } from "../../env";
import { finishAfterResponse, track } from "../../invocation";
import { ApiError, errorResponse } from "../../errors";
import { log } from "../../log";
import { parseWith, readJsonBody } from "../../http/validation";

/** One answer whether the address is new or already has an account (202, same body): sign-up
 *  does not reveal accounts. The console then signs in with the password it just sent; that works
 *  for a new account (and for the owner of an existing one), else it says to sign in instead. */
export async function signUpHandler(req: Request): Promise<Response> {
  // VERCEL=1: the verification mail is sent before the invocation ends (lib/invocation.ts).
  finishAfterResponse();
  try {
    if (!env().VECSTRUCT_ALLOW_SIGNUP) throw new ApiError("permission_denied", "Sign-up is disabled on this instance.");
    // Per client first, before the body is parsed or any password hashed.
    await throttleClient(req, "sign-up");
    const body = parseWith(signUpSchema, await readJsonBody(req, 64 * 1024));
    await throttleEmail("sign-up", body.email);
    const { user } = await signUpUniformly(body);
    if (user) track(sendVerification(user).catch((err: unknown) => log.error("could not start email verification", {}, err)));
    else sendExistingAccountNotice(body.email);
    return Response.json(
      { object: "sign_up", email: body.email, status: "accepted", email_verification: mailConfigured() ? "sent" : "unavailable" },
      { status: 202 },
    );
  } catch (err) {
    return errorResponse(err);
  }
}

import { registerUser, signUpSchema } from "../../auth/users";
import { env } from "../../env";
import { ApiError, errorResponse } from "../../errors";
import { parseWith, readJsonBody } from "../validation";

export async function signUpHandler(req: Request): Promise<Response> {
  try {
    if (!env().VECSTRUCT_ALLOW_SIGNUP) throw new ApiError("permission_denied", "Sign-up is disabled on this instance.");
    const body = parseWith(signUpSchema, await readJsonBody(req, 64 * 1024));
    const { user, org } = await registerUser(body);
    return Response.json({ id: user.id, object: "user", email: user.email, name: user.name, org_id: org.id }, { status: 201 });
  } catch (err) {
    return errorResponse(err);
  }
}

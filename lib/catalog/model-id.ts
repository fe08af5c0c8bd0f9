// The longest model id a request may name (DESIGN §3b): checked by every dialect's schema, and the
// audit row never stores more.
export const MAX_MODEL_ID = 256;

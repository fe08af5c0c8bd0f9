// A password hash as an older release made it (scrypt with N=2^15), for the rehash test.
import { randomBytes, scrypt } from "node:crypto";

export function hashPasswordWithParams(password: string, N: number): Promise<string> {
  const salt = randomBytes(16);
  return new Promise((resolve, reject) =>
    scrypt(password.normalize("NFKC"), salt, 64, { N, r: 8, p: 1, maxmem: 256 * N * 8 }, (err, key) =>
      err ? reject(err) : resolve(`scrypt$${N}$8$1$${salt.toString("base64")}$${key.toString("base64")}`),
    ),
  );
}

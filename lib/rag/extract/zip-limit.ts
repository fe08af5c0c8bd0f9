// A ZIP (an Office file) is checked before any library inflates it: a 200 KB .docx can hold 50 MB
// of XML (a decompression bomb), and mammoth/JSZip would inflate and parse all of it. Declared sizes
// can lie, so every entry is actually inflated (on the zlib thread pool, output discarded) with a cap
// on what it may produce: the whole archive may inflate to at most `maxBytes`.
import { promisify } from "node:util";
import { inflateRaw } from "node:zlib";
import { ExtractionError } from "./types";

const inflateRawAsync = promisify(inflateRaw);

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

export function inflatedLimitError(maxBytes: number): ExtractionError {
  return new ExtractionError(
    `the file inflates to more than the ${maxBytes}-byte limit on decompressed document size (VECSTRUCT_MAX_DOCUMENT_INFLATED_BYTES); split it into smaller files`,
  );
}

function endOfCentralDirectory(buf: Buffer): number {
  // The record is 22 bytes plus a comment of at most 65535 bytes, at the very end.
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === EOCD) return i;
  }
  throw new ExtractionError("not a readable DOCX file: no ZIP directory");
}

/** Throws an ExtractionError naming the limit when the archive inflates to more than `maxBytes`. */
export async function checkZipInflatedSize(bytes: Uint8Array, maxBytes: number): Promise<void> {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 22) throw new ExtractionError("not a readable DOCX file: too short");
  const eocd = endOfCentralDirectory(buf);
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || at === 0xffffffff) throw new ExtractionError("not a readable DOCX file: ZIP64 archives are not supported");
  const entries: { method: number; compressed: number; declared: number; local: number }[] = [];
  let declaredTotal = 0;
  for (let i = 0; i < count; i++) {
    if (at + 46 > buf.length || buf.readUInt32LE(at) !== CENTRAL) throw new ExtractionError("not a readable DOCX file: damaged ZIP directory");
    const entry = { method: buf.readUInt16LE(at + 10), compressed: buf.readUInt32LE(at + 20), declared: buf.readUInt32LE(at + 24), local: buf.readUInt32LE(at + 42) };
    entries.push(entry);
    declaredTotal += entry.declared;
    // What the archive admits to is refused without inflating anything.
    if (declaredTotal > maxBytes) throw inflatedLimitError(maxBytes);
    at += 46 + buf.readUInt16LE(at + 28) + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
  }
  let total = 0;
  for (const e of entries) {
    if (e.local + 30 > buf.length || buf.readUInt32LE(e.local) !== LOCAL) throw new ExtractionError("not a readable DOCX file: damaged ZIP entry");
    const start = e.local + 30 + buf.readUInt16LE(e.local + 26) + buf.readUInt16LE(e.local + 28);
    const data = buf.subarray(start, Math.min(buf.length, start + e.compressed));
    let size: number;
    if (e.method === 0) size = data.length;
    else if (e.method === 8) {
      try {
        // +1: producing more than what is left is the signal, not an error of the file.
        size = (await inflateRawAsync(data, { maxOutputLength: maxBytes - total + 1 })).length;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") throw inflatedLimitError(maxBytes);
        throw new ExtractionError("not a readable DOCX file: a damaged compressed entry", { cause: err });
      }
    } else throw new ExtractionError(`not a readable DOCX file: unsupported ZIP compression method ${e.method}`);
    total += size;
    if (total > maxBytes) throw inflatedLimitError(maxBytes);
  }
}

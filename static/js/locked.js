/* The user's own lock on outbox entries: what an entry says (a child's name, a mark, a reason)
 * is stored encrypted with the signed-in user's key, so another person who logs in on the same
 * phone sees only that entries are waiting, never what they hold.
 *
 * The key (AES-GCM 256) comes in the page's config, only on pages of that user's session; it is
 * imported non-extractable and never stored by the scripts. The entry's {payload, summary} is
 * encrypted with the associated data "op_id\nuser_id\nkind\nrecord_id", so a locked content
 * cannot be moved to another entry. Kinds sealed for the server (seal.js) need no such lock.
 */

import { SealingUnavailable, base64, bytes } from "./seal.js";
import { readConfig } from "./text.js";

let pageKey; // a promise of {userId, key}, or of null where this page cannot encrypt

function userKey() {
  if (pageKey === undefined) pageKey = importKey();
  return pageKey;
}

async function importKey() {
  const config = readConfig();
  const raw = config && config.outbox && config.outbox.user_key;
  // WebCrypto exists only in a secure context (https, or http://localhost and 127.0.0.1).
  if (!raw || !window.isSecureContext || !crypto.subtle) return null;
  const key = await crypto.subtle.importKey("raw", bytes(raw), { name: "AES-GCM" }, false, [
    "encrypt",
    "decrypt",
  ]);
  return { userId: config.user_id, key };
}

/* Whether this page can lock entries: a secure context, and a key for its signed-in user. */
export async function canLock() {
  return (await userKey()) !== null;
}

function associatedData({ op_id, user_id, kind, record_id }) {
  return new TextEncoder().encode(`${op_id}\n${user_id}\n${kind}\n${record_id}`);
}

function unavailable() {
  const config = readConfig();
  const strings = (config && config.strings) || {};
  return new SealingUnavailable(strings.sealing_unavailable || "Encryption is unavailable.");
}

/* {iv, ciphertext} of `content` for the entry with these clear fields; a browser that cannot
 * encrypt throws a SealingUnavailable instead: nothing is stored in the clear. */
export async function lock(clear, content) {
  const mine = await userKey();
  if (!mine || mine.userId !== clear.user_id) throw unavailable();
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ciphertext = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: associatedData(clear) },
    mine.key,
    new TextEncoder().encode(JSON.stringify(content))
  );
  return { iv: base64(iv), ciphertext: base64(ciphertext) };
}

/* The content of a locked entry, or null where this page's user cannot open it. */
export async function unlock(entry) {
  const mine = await userKey();
  if (!mine || mine.userId !== entry.user_id) return null;
  try {
    const plaintext = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: bytes(entry.locked.iv), additionalData: associatedData(entry) },
      mine.key,
      bytes(entry.locked.ciphertext)
    );
    return JSON.parse(new TextDecoder().decode(plaintext));
  } catch (error) {
    return null; // another key: this entry was not locked for this page
  }
}

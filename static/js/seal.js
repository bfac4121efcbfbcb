/* Sealing outbox entries for the server: what a visit report or an incident says never
 * stays readable in the phone's storage. The format is described once, in app/sync/sealed.py:
 * a fresh AES-GCM 256 key per entry encrypts {"payload": …} with the associated data
 * "op_id\nkind\nrecord_id"; the key, wrapped with the server's RSA-OAEP public key, travels
 * with it. The raw key is never stored; only the server can open the entry.
 */

import { readConfig } from "./text.js";

/* Thrown instead of storing a sealed kind in plain text; its message is for the user. */
export class SealingUnavailable extends Error {}

let serverKey = null; // [key_id, CryptoKey] of the key last imported

let pageConfig; // read once: the page's config does not change while it is open

function settings() {
  if (pageConfig === undefined) pageConfig = readConfig();
  return pageConfig && pageConfig.outbox ? pageConfig : null;
}

export function mustSeal(kind) {
  const config = settings();
  return Boolean(config && config.outbox.sealed_kinds.includes(kind));
}

export function bytes(base64) {
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

export function base64(buffer) {
  const view = new Uint8Array(buffer);
  let binary = "";
  for (let i = 0; i < view.length; i += 0x8000) {
    binary += String.fromCharCode(...view.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

async function wrappingKey(outbox) {
  if (serverKey && serverKey[0] === outbox.key_id) return serverKey[1];
  const key = await crypto.subtle.importKey(
    "spki",
    bytes(outbox.public_key),
    { name: "RSA-OAEP", hash: "SHA-256" },
    false,
    ["wrapKey"]
  );
  serverKey = [outbox.key_id, key];
  return key;
}

/* {key_id, wrapped_key, iv, ciphertext} for the entry with these clear fields. */
export async function seal({ op_id, kind, record_id }, payload) {
  const config = settings();
  // WebCrypto exists only in a secure context (https, or http://localhost and 127.0.0.1).
  if (!config || !window.isSecureContext || !crypto.subtle) {
    const strings = (config && config.strings) || {};
    throw new SealingUnavailable(strings.sealing_unavailable || "Encryption is unavailable.");
  }
  const wrapping = await wrappingKey(config.outbox);
  // Extractable only so that it can be wrapped: it is never exported in the clear.
  const key = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, true, [
    "encrypt",
  ]);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const additionalData = new TextEncoder().encode(`${op_id}\n${kind}\n${record_id}`);
  const plaintext = new TextEncoder().encode(JSON.stringify({ payload }));
  const [ciphertext, wrapped] = await Promise.all([
    crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData }, key, plaintext),
    crypto.subtle.wrapKey("raw", key, wrapping, { name: "RSA-OAEP" }),
  ]);
  return {
    key_id: config.outbox.key_id,
    wrapped_key: base64(wrapped),
    iv: base64(iv),
    ciphertext: base64(ciphertext),
  };
}

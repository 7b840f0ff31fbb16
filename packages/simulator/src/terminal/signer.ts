// Vehicle signature for 2025 realtime/reissue frames (spec §9.10). SM2 is not available in Node's
// OpenSSL build, so nevhub signs with ECDSA P-256 over SHA-256 of the signed range and sends r and s
// as raw 32-byte big-endian values with algorithm 0x03 "ecc" (the standard defines the code but no
// public implementation fixes its details; this is nevhub's documented convention). The signed
// range is from the first byte of the collection time to the byte before the 0xFF marker.
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

export const SIGNATURE_ALGORITHM_ECC = 0x03;
/** Algorithm byte + R length + R(32) + S length + S(32). */
const BLOCK = 1 + 2 + 32 + 2 + 32;
const TIME_OFFSET = 24;

export interface VehicleKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** SPKI DER of the public key, hex (for registering the vehicle with a platform). */
  publicKeyHex: string;
}

export function newVehicleKey(): VehicleKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { privateKey, publicKey, publicKeyHex: publicKey.export({ type: 'spki', format: 'der' }).toString('hex') };
}

/** A placeholder signature of the right size, patched by `signInPlace` after encoding. */
export const PLACEHOLDER_SIGNATURE = {
  algorithm: 'ecc' as const,
  algorithmId: SIGNATURE_ALGORITHM_ECC,
  rHex: '00'.repeat(32),
  sHex: '00'.repeat(32),
  signedStart: 0,
  signedEnd: 0,
};

/** Signs an encoded 2025 frame that carries PLACEHOLDER_SIGNATURE last, and fixes the BCC. */
export function signInPlace(frame: Uint8Array, key: KeyObject): void {
  const marker = frame.length - 1 - BLOCK - 1;
  // One-shot crypto.sign: no Sign stream object per frame (the fleet signs thousands per second).
  const sig = sign('sha256', frame.subarray(TIME_OFFSET, marker), { key, dsaEncoding: 'ieee-p1363' });
  frame.set(sig.subarray(0, 32), marker + 1 + 1 + 2);
  frame.set(sig.subarray(32, 64), marker + 1 + 1 + 2 + 32 + 2);
  let x = 0;
  for (let i = 2; i < frame.length - 1; i++) x ^= frame[i];
  frame[frame.length - 1] = x;
}

// Encrypted data units (spec §5): the standard fixes no cipher mode, padding, IV or key
// distribution, so decryption goes through a key provider that the platform configures per peer.
// Without a key the data unit is reported as encrypted with its raw bytes, never read as plain.
import type { EncryptionName, Version } from './model.js';

export interface CipherContext {
  vin: string;
  version: Version;
  commandId: number;
  encryption: EncryptionName;
}

export interface KeyProvider {
  /** Returns the plaintext data unit, or null when no key is known or decryption fails. */
  decrypt(ctx: CipherContext, ciphertext: Uint8Array): Uint8Array | null;
  /** Returns the ciphertext for a plaintext data unit (used by the encoder). */
  encrypt?(ctx: CipherContext, plaintext: Uint8Array): Uint8Array;
}

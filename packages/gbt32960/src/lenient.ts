// Lenient mode: named workarounds for quirks seen in real traffic (spec §15). All are off by
// default; a gateway turns on the ones its terminals need. A frame read with a quirk lists it in
// `frame.quirks`, so nothing is accepted silently.

export const QUIRKS = {
  /** §15.2: vendor 0x80–0xFE blocks without the WORD length; the block runs to the end of the data unit. */
  customWithoutLength: 'custom item whose length word overruns the data unit is read as running to the end',
  /** §15.5: frames with a wrong BCC are decoded anyway (the error becomes a warning). */
  ignoreBcc: 'a BCC mismatch is reported as a warning instead of an error',
  /** §15.5: encryption byte 0x00 read as "not encrypted". */
  zeroEncryptionByte: 'encryption byte 0x00 is read as not encrypted',
  /** §15.5: heartbeat or time-sync requests that carry a payload. */
  payloadOnEmptyCommand: 'heartbeat/time-sync data units that are not empty are accepted and ignored',
  /** rtm_con's "weird message": bytes after the last item that form no item. */
  trailingBytes: 'bytes after the last item are kept as trailingHex instead of failing',
  /** 2025 realtime/reissue frames without the 0xFF signature block. */
  unsignedRealtime2025: '2025 realtime/reissue frames without a signature block are accepted',
} as const;

export type Quirk = keyof typeof QUIRKS;
export const ALL_QUIRKS = Object.keys(QUIRKS) as Quirk[];

export function parseQuirks(list: readonly string[]): Quirk[] {
  const out: Quirk[] = [];
  for (const name of list) {
    if (name === 'all') return [...ALL_QUIRKS];
    if (!(name in QUIRKS)) throw new Error(`unknown lenient quirk "${name}" (known: ${ALL_QUIRKS.join(', ')}, all)`);
    out.push(name as Quirk);
  }
  return out;
}

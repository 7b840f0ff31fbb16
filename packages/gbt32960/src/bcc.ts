// BCC: XOR of every byte from the command ID (offset 2) through the last data-unit byte (spec §1).
export function bcc(b: Uint8Array, start: number, end: number): number {
  let x = 0;
  for (let i = start; i < end; i++) x ^= b[i];
  return x;
}

// Encodes the terminal's frames. Realtime/reissue bodies come from report.ts; 2025 frames are
// signed (signer.ts). Items whose codec the installed @nevhub/gbt32960 does not have yet are left
// out rather than stopping the vehicle (remembered per edition and type code).
import { beijingTime, encodeFrame, GbtEncodeError, type Body, type FrameInput, type InfoItem } from '@nevhub/gbt32960';
import type { KeyObject } from 'node:crypto';
import { buildItems } from '../vehicles/report.js';
import type { Snapshot } from '../vehicles/snapshot.js';
import type { SimVehicle } from '../vehicles/vehicle.js';
import { PLACEHOLDER_SIGNATURE, signInPlace } from './signer.js';

const unsupported = new Set<string>();

function tryEncode(input: FrameInput): Uint8Array | undefined {
  try {
    return encodeFrame(input);
  } catch (e) {
    if (e instanceof GbtEncodeError) return undefined;
    throw e;
  }
}

/**
 * A realtime/reissue frame for one snapshot; `typeIds` keeps only those information types (the
 * 2025 post-power-down battery report sends 0x01/0x05/0x06/0x07/0x08, spec §13).
 */
export function encodeReport(v: SimVehicle, snap: Snapshot, command: 'realtime' | 'reissue', key: KeyObject | undefined, typeIds?: readonly number[]): Uint8Array {
  const version = v.edition;
  const time = beijingTime(new Date(snap.timeMs));
  const built = buildItems(v, snap);
  const all = typeIds ? built.filter((i) => typeIds.includes(i.typeId)) : built;
  let items = all.filter((i) => !unsupported.has(`${version}:${i.typeId}`));
  const frameOf = (list: InfoItem[]): FrameInput => ({
    version,
    command,
    vin: v.vin,
    time,
    body: version === 2025 ? { items: list, signature: PLACEHOLDER_SIGNATURE } : { items: list },
  });
  let bytes = tryEncode(frameOf(items));
  if (!bytes) {
    for (const item of items) if (!tryEncode(frameOf([item]))) unsupported.add(`${version}:${item.typeId}`);
    items = items.filter((i) => !unsupported.has(`${version}:${i.typeId}`));
    bytes = encodeFrame(frameOf(items)); // a real encoding bug surfaces here
  }
  if (version === 2025 && key) signInPlace(bytes, key);
  return bytes;
}

export function encodeSimple(version: 2016 | 2025, command: FrameInput['command'], vin: string, simMs: number, body: Body, response: FrameInput['response'] = 'command'): Uint8Array {
  const time = command === 'heartbeat' || command === 'timeSync' ? null : beijingTime(new Date(simMs));
  return encodeFrame({ version, command, response, vin, time, body });
}

/** Deliberately broken frames for the malformed-frames fault (each one a different defect). */
export function malformedFrames(v: SimVehicle, simMs: number): Uint8Array[] {
  const ok = encodeSimple(v.edition, 'vehicleLogout', v.vin, simMs, { serial: 1 });
  const badBcc = Uint8Array.from(ok);
  badBcc[badBcc.length - 1] ^= 0x5a;
  const truncatedLength = Uint8Array.from(ok);
  truncatedLength[23] = Math.max(0, truncatedLength[23] - 3); // L says 3 bytes less than sent
  const garbage = Uint8Array.from([0x00, 0x13, 0x37, 0xde, 0xad, 0xbe, 0xef]);
  // A realtime frame with reserved information type 0x33 (spec §7.1).
  const unknownItem = Uint8Array.from([...ok.subarray(0, 22), 0x00, 0x0a, ...ok.subarray(24, 30), 0x33, 0x01, 0x02, 0x03, 0x00]);
  unknownItem[2] = 0x02;
  let x = 0;
  for (let i = 2; i < unknownItem.length - 1; i++) x ^= unknownItem[i];
  unknownItem[unknownItem.length - 1] = x;
  return [badBcc, truncatedLength, garbage, unknownItem];
}

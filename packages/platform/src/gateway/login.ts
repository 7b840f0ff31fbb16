// Login-type frames (spec §6.1, §6.3, §12.1): registry check, daily serial rule, one live session
// per VIN, durable append, then the reply.
import {
  encodeFrame,
  RESPONSE_IDS,
  type ActivationBody,
  type Frame,
  type PlatformLoginBody,
  type VehicleLogin2025Body,
  type VehicleLoginBody,
  replyCode,
} from '@nevhub/gbt32960';
import type { VehicleRecord } from '../store/types.js';
import type { Session } from './session.js';
import { beijingDate } from './replies.js';

/** Login serials run 1…65531 (spec §6.1). */
const MAX_SERIAL = 65531;

/**
 * The serial rule of spec §13: 1…65531, +1 per login, reset daily. Returns a description of the
 * violation, or undefined. A violation is a warning, not a rejection: terminals in the field get it
 * wrong after reboots, and refusing them would lose their data.
 */
export function serialViolation(
  serial: number,
  date: string,
  previous: VehicleRecord | undefined,
): string | undefined {
  if (!Number.isInteger(serial) || serial < 1 || serial > MAX_SERIAL)
    return `login serial ${serial} outside 1…${MAX_SERIAL}`;
  if (previous?.lastLoginSerial === undefined || previous.lastLoginDate === undefined) return undefined;
  if (previous.lastLoginDate !== date)
    return serial === 1 ? undefined : `first login of ${date} has serial ${serial}, expected 1 (daily reset)`;
  const expected = previous.lastLoginSerial + 1;
  return serial === expected
    ? undefined
    : `login serial ${serial} after ${previous.lastLoginSerial} on ${date}, expected ${expected}`;
}

function refuse(
  s: Session,
  raw: Uint8Array,
  frame: Frame,
  response: 'vinUnknown' | 'vinDuplicate' | 'error',
  reason: string,
  closeLink: boolean,
): void {
  s.host.counters.loginRejected++;
  s.reply(raw, replyCode(frame.version, response), 'timeOnly');
  s.host.recordEvent({
    vin: frame.vin,
    kind: 'rejected',
    at: Date.now(),
    sessionId: s.id,
    peer: s.peer,
    reason,
  });
  s.host.deps.logger.info({ session: s.id, vin: frame.vin, peer: s.peer, reason }, 'login rejected');
  if (closeLink) s.close(reason, { graceful: true, eventRecorded: true });
}

/** Registry look-up under the configured mode; undefined record + false = refused (allow-list). */
async function admit(s: Session, vin: string): Promise<{ ok: boolean; record: VehicleRecord | undefined }> {
  const record = await s.host.deps.registry.getVehicle(vin);
  if (s.host.options.registryMode === 'allowList' && (!record || !record.enabled))
    return { ok: false, record };
  return { ok: true, record };
}

export async function handleVehicleLogin(s: Session, frame: Frame, raw: Uint8Array): Promise<void> {
  const host = s.host;
  const vin = frame.vin;
  const body = frame.body as VehicleLoginBody | VehicleLogin2025Body;
  if (s.state === 'platform' && !s.vinAllowed(frame.vin)) {
    refuse(s, raw, frame, 'error', `VIN ${vin} not allowed for platform ${s.account?.username ?? ''}`, false);
    return;
  }
  if (s.state === 'vehicle' && vin !== s.vin) {
    refuse(s, raw, frame, 'error', `second VIN ${vin} on the link of ${s.vin ?? ''}`, true);
    return;
  }
  const { ok, record } = await admit(s, vin);
  if (s.closed) return;
  if (!ok) {
    // Allow-list mode: 2025 answers 0x04 "VIN does not exist", 2016 0x02 (spec §4 Rule).
    refuse(s, raw, frame, 'vinUnknown', `VIN ${vin} is not registered`, s.state !== 'platform');
    return;
  }
  if (s.state !== 'platform') {
    const existing = host.onlineSession(vin);
    if (existing && existing !== s && host.options.duplicateLogin === 'reject') {
      refuse(s, raw, frame, 'vinDuplicate', `VIN ${vin} is already online (session ${existing.id})`, true);
      return;
    }
    if (host.claimVin) {
      // Several gateway processes: the primary holds the VIN map and answers one claim at a time,
      // so of two racing logins exactly one stays online (the later under 'replace': the primary
      // tells the holder's process to close it; the earlier under 'reject').
      const claim = await host.claimVin(vin, s);
      if (s.closed) return;
      if (!claim.ok) {
        refuse(s, raw, frame, 'vinDuplicate', `VIN ${vin} is already online (session ${claim.holder})`, true);
        return;
      }
    }
    // Claim the VIN before any await so that two racing logins cannot both win. A new connection
    // with the same identity replaces the old one (spec §13 "Disconnect").
    const displaced = host.setOnline(vin, s);
    if (displaced && displaced !== s) displaced.replacedBy(vin, { sessionId: s.id, peer: s.peer });
    s.state = 'vehicle';
    s.vin = vin;
  } else {
    s.platformVins.add(vin);
  }
  s.version = frame.version;
  s.loginSerial = body.serial;
  // The serial's day is the terminal's own (frame time, Beijing, spec §2); else the receive day.
  const date = frame.time?.slice(0, 10) ?? beijingDate(Date.now());
  const warning = serialViolation(body.serial, date, record);
  if (warning) {
    host.counters.serialWarnings++;
    host.deps.logger.warn({ session: s.id, vin, serial: body.serial, warning }, 'login serial rule violated');
  }
  await host.deps.registry.upsertVehicle({
    vin,
    iccid: body.iccid,
    version: frame.version,
    lastLoginSerial: body.serial,
    lastLoginDate: date,
    ...(record ? {} : { enabled: true }),
  });
  await s.append([s.entry(frame, raw)]);
  if (s.closed) return;
  host.counters.sessionsLoggedIn++;
  s.reply(raw, RESPONSE_IDS.success, 'timeOnly');
  host.recordEvent({
    vin,
    kind: 'login',
    at: Date.now(),
    sessionId: s.id,
    peer: s.peer,
    serial: body.serial,
    ...(warning ? { reason: `serial warning: ${warning}` } : {}),
  });
  host.deps.logger.debug({ session: s.id, vin, peer: s.peer, serial: body.serial }, 'vehicle login');
}

/** Lower-platform login (spec §6.3) against the configured accounts. The frame itself is not logged: it carries the password. */
export function handlePlatformLogin(s: Session, frame: Frame, raw: Uint8Array): void {
  const body = frame.body as PlatformLoginBody;
  if (s.loggedIn) {
    s.reply(raw, RESPONSE_IDS.error, 'timeOnly');
    return;
  }
  const account = s.host.options.platforms.find(
    (a) => a.username === body.username && a.password === body.password,
  );
  if (!account) {
    s.host.counters.loginRejected++;
    s.reply(raw, RESPONSE_IDS.error, 'timeOnly');
    s.host.recordEvent({
      vin: body.username,
      kind: 'rejected',
      at: Date.now(),
      sessionId: s.id,
      peer: s.peer,
      reason: `platform login refused for "${body.username}"`,
    });
    s.close(`platform login refused for "${body.username}"`, { graceful: true, eventRecorded: true });
    return;
  }
  s.state = 'platform';
  s.account = account;
  s.version = frame.version;
  s.loginSerial = body.serial;
  s.reply(raw, RESPONSE_IDS.success, 'timeOnly');
  s.host.recordEvent({
    vin: account.username,
    kind: 'platformLogin',
    at: Date.now(),
    sessionId: s.id,
    peer: s.peer,
    serial: body.serial,
  });
}

/**
 * 2025 activation (0x09, spec §12.1): the chip ID and public key go to the registry, the frame to
 * the log, and the terminal gets a 0x0A activation response "activated / success" (spec §12.2:
 * sent as its own command with flag 0xFE, L = 2, no time).
 */
export async function handleActivation(s: Session, frame: Frame, raw: Uint8Array): Promise<void> {
  const body = frame.body as ActivationBody;
  const vin = body.activationVin || frame.vin;
  if (s.state === 'vehicle' && vin !== s.vin) {
    refuse(s, raw, frame, 'error', `activation for ${vin} on the link of ${s.vin ?? ''}`, true);
    return;
  }
  const { ok, record } = await admit(s, vin);
  if (s.closed) return;
  if (!ok) {
    refuse(s, raw, frame, 'vinUnknown', `activation for unregistered VIN ${vin}`, !s.loggedIn);
    return;
  }
  await s.host.deps.registry.upsertVehicle({
    vin,
    chipId: body.chipId,
    publicKeyHex: body.publicKeyHex,
    version: 2025,
    ...(record ? {} : { enabled: true }),
  });
  await s.append([{ ...s.entry(frame, raw), vin }]);
  if (s.closed) return;
  s.write(
    encodeFrame({
      version: 2025,
      command: 'activationResponse',
      response: 'command',
      vin: frame.vin,
      time: null,
      body: { status: 'activated', info: 'success', infoId: 0 },
    }),
  );
  s.host.deps.logger.info({ session: s.id, vin, chipId: body.chipId }, 'terminal activated');
}

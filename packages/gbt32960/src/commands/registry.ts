// Body codecs per command. The frame layer reads the 6-byte time first for every command that
// has one (see frame.ts), so `decode` starts right after it and must consume the data unit exactly.
import type { Writer } from '../bytes.js';
import type { Ctx } from '../context.js';
import type { Body, Version } from '../model.js';

export interface CommandCodec<B extends Body = Body> {
  /** False for commands whose data unit has no time field (heartbeat, 0x0A activation response). */
  hasTime: boolean;
  decode(c: Ctx, isReply: boolean): B;
  encode(w: Writer, body: B, version: Version, isReply: boolean): void;
}

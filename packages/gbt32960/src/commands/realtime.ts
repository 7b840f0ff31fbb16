// Realtime (0x02) and reissue (0x03) command bodies: items after the time (spec §7).
import type { RealtimeBody } from '../model.js';
import { readRealtimeItems, writeRealtimeItems } from '../info/realtime.js';
import type { CommandCodec } from './registry.js';

export const realtimeCodec: CommandCodec<RealtimeBody> = {
  hasTime: true,
  decode(c) {
    return readRealtimeItems(c, c.p - 6);
  },
  encode(w, body, version) {
    writeRealtimeItems(w, body, version);
  },
};

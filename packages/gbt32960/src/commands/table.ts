// Command ID → body codec (spec §3). Commands not listed (0xC0–0xFE platform-exchange custom
// data, reserved IDs) are passed through as bytes.
import { COMMAND_IDS as C } from '../model.js';
import { activationCodec, activationResponseCodec } from './activation.js';
import { terminalControlCodec } from './control.js';
import { keyExchangeCodec } from './keyExchange.js';
import { paramQueryCodec, paramSetCodec } from './params.js';
import { realtimeCodec } from './realtime.js';
import type { CommandCodec } from './registry.js';
import { emptyCodec, platformLoginCodec, serialCodec, vehicleLoginCodec } from './session.js';

export const COMMANDS: (CommandCodec | undefined)[] = new Array<CommandCodec | undefined>(256).fill(undefined);
const entries: [number, CommandCodec][] = [
  [C.vehicleLogin, vehicleLoginCodec],
  [C.realtime, realtimeCodec],
  [C.reissue, realtimeCodec],
  [C.vehicleLogout, serialCodec],
  [C.platformLogin, platformLoginCodec],
  [C.platformLogout, serialCodec],
  [C.heartbeat, emptyCodec],
  [C.timeSync, emptyCodec],
  [C.activation, activationCodec],
  [C.activationResponse, activationResponseCodec],
  [C.keyExchange, keyExchangeCodec],
  [C.paramQuery, paramQueryCodec],
  [C.paramSet, paramSetCodec],
  [C.terminalControl, terminalControlCodec],
];
for (const [id, codec] of entries) COMMANDS[id] = codec;

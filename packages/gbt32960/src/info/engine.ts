// Engine (type 0x04). 2016: state BYTE, crankshaft speed WORD, fuel consumption WORD (5 bytes,
// spec §8.4); 2025: crankshaft speed only (2 bytes, §9.4).
import type { Writer } from '../bytes.js';
import type { Ctx } from '../context.js';
import type { EngineItem, Version } from '../model.js';
import { e8, n16, w16, we8 } from '../values.js';
import type { ItemCodec } from './registry.js';

/** Engine state (§8.4): 01 running, 02 stopped; FE/FF. */
export const ENGINE_STATES = [undefined, 'running', 'stopped'] as const;

export const engineCodec: ItemCodec<EngineItem> = {
  decode(c: Ctx): EngineItem {
    if (c.version === 2025) {
      return { type: 'engine', typeId: 0x04, crankshaftRpm: n16(c, 'crankshaftRpm', 1, 0, 60000) };
    }
    const state = e8(c, 'state', ENGINE_STATES);
    const crankshaftRpm = n16(c, 'crankshaftRpm', 1, 0, 60000);
    // 0.01 L/100 km, valid 0–60000 (§8.4).
    const consumptionLPer100Km = n16(c, 'consumptionLPer100Km', 100, 0, 60000);
    return { type: 'engine', typeId: 0x04, state, crankshaftRpm, consumptionLPer100Km };
  },

  encode(w: Writer, it: EngineItem, version: Version): void {
    if (version === 2016) we8(w, it.state ?? 'invalid', ENGINE_STATES, 'state');
    w16(w, it.crankshaftRpm, 'crankshaftRpm');
    if (version === 2016) w16(w, it.consumptionLPer100Km ?? 'invalid', 'consumptionLPer100Km', 100);
  },
};

// Decode context: the cursor plus what body readers need to know about the frame being read.
import { Cursor, type Tracer } from './bytes.js';
import type { FrameWarning, Version } from './model.js';
import type { Quirk } from './lenient.js';

export class Ctx extends Cursor {
  // Class fields, not `declare`d ones: see Cursor.
  readonly version: Version;
  readonly lenient: ReadonlySet<Quirk>;
  warnings: FrameWarning[] | undefined;
  quirksUsed: Quirk[] | undefined;
  /** Path prefix for warnings, e.g. `items[2]`. */
  path = '';
  constructor(b: Uint8Array, start: number, end: number, version: Version, lenient: ReadonlySet<Quirk>, trace?: Tracer) {
    super(b, start, end, trace);
    this.version = version;
    this.lenient = lenient;
  }

  warn(offset: number, field: string, message: string): void {
    (this.warnings ??= []).push({
      code: 'GBT_ERR_FIELD_RANGE',
      message,
      offset,
      field: this.path ? `${this.path}.${field}` : field,
    });
  }

  usedQuirk(q: Quirk): void {
    const list = (this.quirksUsed ??= []);
    if (!list.includes(q)) list.push(q);
  }
}

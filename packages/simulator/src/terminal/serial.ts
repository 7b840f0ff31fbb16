// Login serial numbers (spec §6.1, §13): start at 1 each day, +1 per login, at most 65531; the
// day changes at Beijing midnight (the time field is Beijing time, spec §2).

export class DailySerial {
  private day = '';
  private last = 0;

  next(simMs: number): number {
    const day = new Date(simMs + 8 * 3600_000).toISOString().slice(0, 10);
    if (day !== this.day) {
      this.day = day;
      this.last = 0;
    }
    this.last = this.last >= 65531 ? 1 : this.last + 1;
    return this.last;
  }
}

// Tables of the embedded telemetry store (store.db). One file, WAL, written by one process.
export const STORE_SCHEMA = `
CREATE TABLE IF NOT EXISTS vehicles (
  vin TEXT PRIMARY KEY,
  plate TEXT,
  vehicle_type TEXT,
  powertrain TEXT,
  enabled INTEGER NOT NULL DEFAULT 1,
  iccid TEXT,
  version INTEGER,
  last_login_serial INTEGER,
  last_login_date TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS session_events (
  id INTEGER PRIMARY KEY,
  vin TEXT NOT NULL,
  kind TEXT NOT NULL,
  at INTEGER NOT NULL,
  session_id TEXT NOT NULL,
  peer TEXT NOT NULL,
  reason TEXT,
  serial INTEGER
);
CREATE INDEX IF NOT EXISTS session_events_vin_at ON session_events (vin, at);
CREATE INDEX IF NOT EXISTS session_events_at ON session_events (at);

-- One row per VIN: the merged state for the map and fleet list (JSON of LatestState fields).
CREATE TABLE IF NOT EXISTS latest_state (
  vin TEXT PRIMARY KEY,
  at INTEGER NOT NULL DEFAULT 0,
  received_at INTEGER NOT NULL DEFAULT 0,
  seq INTEGER NOT NULL DEFAULT 0,
  online INTEGER NOT NULL DEFAULT 0,
  online_at INTEGER,
  state TEXT NOT NULL DEFAULT '{}'
) WITHOUT ROWID;

-- Per-VIN high-water mark of applied log seqs: replaying a log batch is a no-op.
CREATE TABLE IF NOT EXISTS applied (
  vin TEXT PRIMARY KEY,
  seq INTEGER NOT NULL
) WITHOUT ROWID;

-- One row per realtime/reissue frame. Key columns for lists and charts, plus the full decoded
-- frame (data-model.md) as JSON. The unique key (vin, at, hash) both dedupes reissued copies of
-- a frame already stored and serves "one vehicle-day" range scans.
CREATE TABLE IF NOT EXISTS history (
  id INTEGER PRIMARY KEY,
  vin TEXT NOT NULL,
  at INTEGER NOT NULL,
  hash TEXT NOT NULL,
  seq INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  reissue INTEGER NOT NULL,
  speed_kmh REAL,
  soc_pct REAL,
  voltage_v REAL,
  current_a REAL,
  odometer_km REAL,
  lon REAL,
  lat REAL,
  alarm_level INTEGER,
  h2_remaining_pct REAL,
  h2_max_pressure_mpa REAL,
  max_cell_v REAL,
  min_cell_v REAL,
  max_temp_c REAL,
  min_temp_c REAL,
  frame TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS history_vin_at_hash ON history (vin, at, hash);
CREATE INDEX IF NOT EXISTS history_at ON history (at);
`;

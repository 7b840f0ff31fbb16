// Shared option parsing for commands that build a configuration (serve, config, demo).
import type { Command } from 'commander';
import { setPath, type ConfigLayer } from '../config/load.js';

export interface ConfigFlags {
  config?: string;
  gatewayPort?: string;
  gatewayHost?: string;
  dataDir?: string;
  httpPort?: string;
  logLevel?: string;
  ackRealtime?: boolean;
  gatewayProcesses?: string;
}

/** Adds the flags that map onto configuration keys (the highest configuration layer). */
export function addConfigFlags(cmd: Command): Command {
  return cmd
    .option('--config <file>', 'configuration file (JSON or YAML)')
    .option('--gateway-host <host>', 'gateway listen address (gateway.host)')
    .option('--gateway-port <port>', 'gateway TCP port, 0 = ephemeral (gateway.port, default 32960)')
    .option('--data-dir <dir>', 'directory of the SQLite files (dataDir, default ./data)')
    .option('--http-port <port>', 'HTTP API port (http.port, default 8080)')
    .option('--log-level <level>', 'fatal|error|warn|info|debug|trace|silent (log.level)')
    .option('--ack-realtime', 'acknowledge every realtime/reissue frame (gateway.ackRealtime)')
    .option('--gateway-processes <n>', 'gateway worker processes sharing the port, 1 = in-process (gateway.processes)');
}

function intFlag(v: string, name: string): number | string {
  // Left as text when not an integer, so validation reports it against the field.
  return /^\d+$/.test(v) ? Number(v) : `${name}=${v}`;
}

export function flagsLayer(o: ConfigFlags): ConfigLayer {
  const layer: ConfigLayer = {};
  if (o.gatewayHost !== undefined) setPath(layer, 'gateway.host', o.gatewayHost);
  if (o.gatewayPort !== undefined) setPath(layer, 'gateway.port', intFlag(o.gatewayPort, '--gateway-port'));
  if (o.dataDir !== undefined) setPath(layer, 'dataDir', o.dataDir);
  if (o.httpPort !== undefined) setPath(layer, 'http.port', intFlag(o.httpPort, '--http-port'));
  if (o.logLevel !== undefined) setPath(layer, 'log.level', o.logLevel);
  if (o.ackRealtime) setPath(layer, 'gateway.ackRealtime', true);
  if (o.gatewayProcesses !== undefined)
    setPath(layer, 'gateway.processes', intFlag(o.gatewayProcesses, '--gateway-processes'));
  return layer;
}

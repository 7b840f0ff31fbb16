export * from './schema.js';
export {
  loadConfig,
  maskSecrets,
  mergeLayers,
  envLayer,
  readConfigFile,
  setPath,
  ENV_VARS,
  type ConfigLayer,
  type LoadOptions,
} from './load.js';

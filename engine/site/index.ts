// Site model: the devices of a site (hosts, storage, backup servers, copy devices, libraries
// with their tapes, FC switches), how their ports are wired, the live inventory of their states,
// the site config file and the demo site. Nothing here moves data or talks to devices.
export * from './config';
export * from './demo';
export * from './files';
export * from './inventory';
export * from './model';
export * from './targets';

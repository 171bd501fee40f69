// The API contract shared by the engine, its hosts and the renderer: names, zod schemas and the
// types inferred from them. It imports zod only, so the renderer can use it without Node.
export * from './api';
export * from './wire';
export * from './inventory';
export * from './jobs';
export * from './schedules';
export * from './site';
export * from './streams';
export * from './size';
export * from './faults';
export * from './backups';
export * from './events';
export * from './restore';
export * from './catalog';
export * from './rebuild';
export * from './page';
export * from './websocket';

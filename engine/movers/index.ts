// Data movers: backup servers [300] and copy devices [610], each running as its own process for
// one stream of one job, commanded over a small control protocol (protocol.ts) and able to fail
// on purpose (fault injection). Data flows storage -> mover -> tape inside the mover. A mover
// killed half way leaves at most one record without its commit mark at the end of its tape,
// which readers ignore and the next write on that tape cuts off.
export { MoverClient, type CommandResult, type ReadReport } from './client';
export { MoverPool } from './pool';
export { moverLaunch, type MoverLaunch } from './launch';
export type { FailureCode, InitMessage, LibraryInfo, ReadWork, StoredMessage } from './protocol';

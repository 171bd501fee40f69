// The contract suite in-process: the engine's dispatch with JSON in between.
import { remoteApi } from '../../engine/contract';
import { inProcessWire } from '../../engine/service';
import { contractSuite } from './suite';

contractSuite('in-process calls', async (engine) => ({ api: remoteApi(inProcessWire(engine)), close: () => {} }));

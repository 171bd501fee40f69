// The contract suite in-process: the session's dispatch with JSON in between.
import { remoteApi } from '../../engine/contract';
import { inProcessWire, sessionService } from '../../engine/service';
import { contractSuite } from './suite';

contractSuite('in-process calls', async (session) => ({ api: remoteApi(inProcessWire(sessionService(session))), close: () => {} }));

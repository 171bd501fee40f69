// The contract suite over the WebSocket bridge of `mpbackup serve`: the same server the command
// builds (cli/serve/server.ts), on an ephemeral port of 127.0.0.1, on the suite's session, and the
// renderer's client wire (engine/contract/websocket.ts) with the `ws` package's WebSocket.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { remoteApi, webSocketWire } from '../../engine/contract';
import { startServer } from '../../cli/serve/server';
import { sessionService } from '../../engine/service';
import { originWebSocket, writeFakeRenderer } from '../helpers/serve';
import { contractSuite } from './suite';

contractSuite('the WebSocket bridge', async (session) => {
  const build = fs.mkdtempSync(path.join(os.tmpdir(), 'mpb-contract-renderer-'));
  const server = await startServer({ service: sessionService(session), port: 0, rendererDir: writeFakeRenderer(build) });
  const wire = webSocketWire(server.apiUrl, originWebSocket(server.origin));
  await wire.opened;
  return {
    api: remoteApi(wire),
    close: async () => {
      wire.close();
      await server.close();
      fs.rmSync(build, { recursive: true, force: true });
    },
  };
});

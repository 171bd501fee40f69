/// <reference types="vite/client" />
import type { BackupApi } from '../../engine/contract';

declare global {
  interface Window {
    /** Set by the Electron preload script; absent in a plain browser. */
    backupApi?: BackupApi;
  }
}

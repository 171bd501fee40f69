// Electron main process entry: the desktop shell around the engine. See app.ts.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Notification } from 'electron';
import { startApp } from './app';

const here = import.meta.dirname;
const rendererUrl = process.env.ELECTRON_RENDERER_URL ?? pathToFileURL(path.join(here, '../renderer/index.html')).href;

startApp({ app, BrowserWindow, dialog, ipcMain, Notification }, { preload: path.join(here, '../preload/index.cjs'), rendererUrl }).catch((error: unknown) => {
  dialog.showErrorBox('Multipath Backup Manager could not start', error instanceof Error ? error.message : String(error));
  app.exit(1);
});

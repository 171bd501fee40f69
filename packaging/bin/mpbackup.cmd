@echo off
rem The mpbackup command line of the installed desktop app (Windows): the app's own Electron
rem runs the bundled command line as Node. Installed as resources\bin\mpbackup.cmd.
setlocal
set ELECTRON_RUN_AS_NODE=1
"%~dp0..\..\Multipath Backup Manager.exe" "%~dp0..\app.asar\out\main\cli.js" %*

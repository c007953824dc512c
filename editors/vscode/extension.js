// The smallest VS Code client for `sopflow lsp`: starts the server over stdio for SOP files
// (*.sop.yaml / *.sop.yml) and lets vscode-languageclient do the rest. Schema completion and
// hover stay with Red Hat's YAML extension (yaml-language-server); both run side by side.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

let client;

/** The command that starts the server: the setting, the workspace's own sopflow, or sopflow on the PATH. */
function serverCommand() {
  const configured = vscode.workspace.getConfiguration('sopflow').get('command') ?? [];
  if (Array.isArray(configured) && configured.length > 0) return { command: configured[0], args: configured.slice(1) };
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const local = path.join(folder.uri.fsPath, 'node_modules', '.bin', process.platform === 'win32' ? 'sopflow.cmd' : 'sopflow');
    if (fs.existsSync(local)) return { command: local, args: ['lsp', '--stdio'] };
  }
  return { command: 'sopflow', args: ['lsp', '--stdio'] };
}

function activate(context) {
  const { command, args } = serverCommand();
  const today = vscode.workspace.getConfiguration('sopflow').get('today');
  client = new LanguageClient(
    'sopflow',
    'sopflow',
    { command, args, transport: TransportKind.stdio },
    {
      documentSelector: [
        { scheme: 'file', pattern: '**/*.sop.{yaml,yml}' },
        { scheme: 'untitled', language: 'yaml' },
      ],
      synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*.sop.{yaml,yml}') },
      initializationOptions: today ? { today } : {},
    },
  );
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };

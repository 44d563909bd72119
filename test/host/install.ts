// `npm run host:install`: installs the VS Code Server hosts the tests and the demo use: the oldest
// VS Code the manifest claims and the newest that runs on Node 20.
import { codeServerInstalled, HOST_VERSIONS, installCodeServer } from './codeServer';

for (const version of HOST_VERSIONS) {
  if (codeServerInstalled(version)) {
    console.log(`The VS Code Server host code-server ${version.codeServer} (VS Code ${version.vscode}) is already installed.`);
  } else {
    installCodeServer(console.log, version);
  }
}

// `npm run host:install`: installs the VS Code Server host used by the tests and the demo.
import { CODE_SERVER_VERSION, codeServerInstalled, installCodeServer } from './codeServer';

if (codeServerInstalled()) {
  console.log(`The VS Code Server host (code-server ${CODE_SERVER_VERSION}) is already installed.`);
} else {
  installCodeServer();
}

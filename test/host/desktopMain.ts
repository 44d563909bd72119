// Entry point for running the integration suite in desktop VS Code under xvfb-run.
import { runDesktopHere } from './integrationHosts';

const resultsFile = process.argv[2];
runDesktopHere(resultsFile, (line) => console.log(line)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

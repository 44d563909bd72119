/**
 * Every command id, context key and view id the extension uses, in one place. The integration suite
 * checks that `contributes.commands` in package.json and the registered commands are the same set.
 */

export const Command = {
  signIn: 'concur.signIn',
  signInWithBrowser: 'concur.signInWithBrowser',
  openSignInLink: 'concur.openSignInLink',
  copySignInLink: 'concur.copySignInLink',
  filterCatalog: 'concur.filterCatalog',
  clearCatalogFilter: 'concur.clearCatalogFilter',
  findEndpoint: 'concur.findEndpoint',
  addApiDefinition: 'concur.addApiDefinition',
  addPublishedDefinitions: 'concur.addPublishedDefinitions',
  removeApiDefinition: 'concur.removeApiDefinition',
  reloadApiDefinitions: 'concur.reloadApiDefinitions',
  sendBody: 'concur.sendBody',
  chooseFormFile: 'concur.chooseFormFile',
  sendRequestFromFile: 'concur.sendRequestFromFile',
  sendAllRequests: 'concur.sendAllRequests',
  copyRequestAsCurl: 'concur.copyRequestAsCurl',
  runRequestFileTests: 'concur.runRequestFileTests',
  openAsRequestFile: 'concur.openAsRequestFile',
  saveRequestsToFile: 'concur.saveRequestsToFile',
  selectRequestEnvironment: 'concur.selectRequestEnvironment',
  signOut: 'concur.signOut',
  switchSession: 'concur.switchSession',
  makeSessionActive: 'concur.makeSessionActive',
  refreshToken: 'concur.refreshToken',
  copyAccessToken: 'concur.copyAccessToken',
  showClaims: 'concur.showClaims',
  showSessionActions: 'concur.showSessionActions',
  copyClaimValue: 'concur.copyClaimValue',
  openClaimUrl: 'concur.openClaimUrl',
  copyDecodedToken: 'concur.copyDecodedToken',
  openDecodedToken: 'concur.openDecodedToken',
  openProfile: 'concur.openProfile',
  callApi: 'concur.callApi',
  callEndpoint: 'concur.callEndpoint',
  openEndpointDocs: 'concur.openEndpointDocs',
  callClaimUrl: 'concur.callClaimUrl',
  loadNextPage: 'concur.loadNextPage',
  fetchAllPages: 'concur.fetchAllPages',
  fetchAllPagesToFile: 'concur.fetchAllPagesToFile',
  showResponseHeaders: 'concur.showResponseHeaders',
  filterResponse: 'concur.filterResponse',
  compareWithPrevious: 'concur.compareWithPrevious',
  copyAsCurl: 'concur.copyAsCurl',
  rerunRequest: 'concur.rerunRequest',
  reopenResponse: 'concur.reopenResponse',
  showHistory: 'concur.showHistory',
  clearHistory: 'concur.clearHistory',
  showLog: 'concur.showLog',
  startLocalServer: 'concur.startLocalServer',
  stopLocalServer: 'concur.stopLocalServer',
  showLocalServer: 'concur.showLocalServer',
  signInToLocalServer: 'concur.signInToLocalServer',
  copyLocalServerConnection: 'concur.copyLocalServerConnection',
  chooseLocalServerScenarios: 'concur.chooseLocalServerScenarios',
} as const;

export type CommandId = (typeof Command)[keyof typeof Command];

export const ContextKey = {
  signedIn: 'concur.signedIn',
  hasSessions: 'concur.hasSessions',
  browserSignInWaiting: 'concur.browserSignInWaiting',
  catalogFiltered: 'concur.catalogFiltered',
  responseHasNextPage: 'concur.responseHasNextPage',
  responseIsPaged: 'concur.responseIsPaged',
  /** The files large answers are shown from (their tabs get the response tab's commands: `resourcePath in …`). */
  /** This extension's CodeLenses and keybinding are on for request files (not left to REST Client or httpYac). */
  requestFileLenses: 'concur.requestFileLenses',
  /** The local Concur server runs (its commands are offered). */
  localServerRunning: 'concur.localServerRunning',
} as const;

export const View = {
  sessions: 'concur.sessions',
  catalog: 'concur.catalog',
  history: 'concur.history',
} as const;

/** VS Code's own commands the extension runs. */
export const BuiltinCommand = {
  setContext: 'setContext',
  focusSessions: 'concur.sessions.focus',
  focusCatalog: 'concur.catalog.focus',
} as const;

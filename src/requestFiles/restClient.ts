/** Where REST Client keeps request-file environments: the `rest-client.environmentVariables` setting. */
export const REST_CLIENT_SECTION = 'rest-client';
export const REST_CLIENT_KEY = 'environmentVariables';

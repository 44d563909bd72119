/**
 * Walks the built-in catalog against the mock: every entry, called with a token that has only the
 * entry's first scope and a token type it allows, path parameters filled with ids the mock knows,
 * its header parameters' defaults and a body of exactly the schema's required fields, must reach a
 * route of the mock (no 404 "no resource", no 405) and be let through (no 401/403); and a token of a
 * type the entry does not allow, or without any of its scopes, must be refused (403), so that the
 * catalog's token types and scopes are the ones the mock, standing in for Concur, enforces.
 */
import assert from 'node:assert/strict';
import { buildRequestPath, requestHeaders, type Endpoint } from '../../../src/catalog/catalog';
import { BUILTIN_CATALOG } from '../../../src/catalog/builtinCatalog';
import { FIXTURES, startMockConcur, type MockConcur } from '../../../src/localConcur';
import { get, send, type Json } from './helpers';

type Schema = { type?: string; required?: string[]; properties?: Record<string, Schema>; items?: Schema; enum?: unknown[] };

/** The smallest body the schema accepts: its required fields, each with a plausible value (known ids by name). */
function skeleton(schema: Schema | undefined, known: Record<string, string> = {}): unknown {
  if (!schema) {
    return 'x';
  }
  if (schema.enum?.length) {
    return schema.enum[0];
  }
  switch (schema.type) {
    case 'object':
      return Object.fromEntries((schema.required ?? []).map((name) => [name, known[name] ?? skeleton(schema.properties?.[name], known)]));
    case 'array':
      return [skeleton(schema.items, known)];
    case 'number':
    case 'integer':
      return 1;
    case 'boolean':
      return true;
    default:
      return '2025-07-01';
  }
}

describe('mock Concur: serves every built-in catalog entry', function () {
  this.timeout(20_000);
  let mock: MockConcur;
  const values: Record<string, string> = {};
  const byPath: Array<[RegExp, string]> = [];

  before(async () => {
    mock = await startMockConcur({ quiet: true, companyUsers: 300 });
    const user = mock.issueTokens().access_token;
    const company = mock.issueTokens({ principal: 'company' }).access_token;
    const read = async (path: string, token = user): Promise<Json> => (await get(`${mock.geoUrl}${path}`, token)).body;
    const me = mock.demo.userId;
    // An unsubmitted report of Dana's, so its writes succeed; its first expense and allocation.
    const reports = await read('/api/v3.0/expense/reports?limit=100');
    const report = reports.Items.find((r: Json) => r.ApprovalStatusCode === 'A_NOTF') ?? reports.Items[0];
    const v4 = `/expensereports/v4/users/${me}/context/TRAVELER/reports/${report.ID}`;
    const expense = (await read(`${v4}/expenses`))[0];
    const allocation = (await read(`${v4}/expenses/${expense.expenseId}/allocations`))[0];
    const lists = await read('/list/v4/lists');
    const projects = lists.content.find((l: Json) => l.value === 'Projects');
    const item = (await read(`/list/v4/lists/${projects.id}/children`)).content[0];
    const bulk = await send(`${mock.geoUrl}/profile/v4/Bulk`, 'POST', { schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'], Operations: [{ method: 'DELETE', path: '/Users/nobody' }] }, { authorization: `Bearer ${company}` });
    const requests = await read('/travelrequest/v4/requests');
    const digests = await read('/api/v3.0/invoice/paymentrequestdigests', company);
    const budgets = await read('/budget/v4/budgetItemHeader?adminView=true');
    const receipts = await read(`/receipts/v4/users/${me}`);
    Object.assign(values, {
      userId: me,
      reportId: report.ID,
      expenseId: expense.expenseId,
      allocationId: allocation.allocationId,
      listId: projects.id,
      itemId: item.id,
      provisionId: bulk.body.id,
      requestUuid: requests.data.find((r: Json) => r.approvalStatus.code === 'NOT_SUBMITTED').id,
      cashAdvanceId: FIXTURES.cashAdvanceId,
      receiptId: receipts.receipts[0].id,
    });
    // `{id}` means a different thing in each family.
    byPath.push(
      [/^\/profile\//, me],
      [/^\/travel\/v4\/trips\//, FIXTURES.tripId],
      [/^\/budget\//, budgets.budgetItemHeaders.at(-1).id],
      [/\/paymentrequest\//, digests.Items[0].ID],
      [/\/purchaseorders\//, 'PO-10001'],
    );
  });
  after(() => mock.close());

  const fill = (endpoint: Endpoint): Record<string, string> => {
    const filled: Record<string, string> = {};
    for (const param of endpoint.params) {
      const known = param.name === 'id' ? byPath.find(([re]) => re.test(endpoint.path))?.[1] : values[param.name];
      const value = param.in === 'path' ? (known ?? param.default) : param.default;
      if (value !== undefined) {
        filled[param.name] = value;
      }
    }
    return filled;
  };

  const tokenFor = (type: 'user' | 'company' | 'app', scopes: string[]): string => mock.issueTokens({ principal: type === 'user' ? undefined : type, scopes }).access_token;
  const call = async (endpoint: Endpoint, token: string): Promise<{ status: number; text: string; noRoute: boolean; path: string }> => {
    const filled = fill(endpoint);
    const path = buildRequestPath(endpoint, filled);
    const body = endpoint.body ? skeleton(endpoint.body.schema as Schema, values) : undefined;
    const res = await send(`${mock.geoUrl}${path}`, endpoint.method, body, { ...requestHeaders(endpoint, filled), authorization: `Bearer ${token}` });
    return { status: res.status, text: res.text, noRoute: res.status === 404 && res.body?.Message === 'No resource found that matches the request URI', path };
  };

  it('reaches a route of the mock for every entry, with the entry\'s first scope and an allowed token type', async () => {
    // Deletes last, so they do not take away what other entries use.
    const entries = [...BUILTIN_CATALOG.filter((e) => e.method !== 'DELETE'), ...BUILTIN_CATALOG.filter((e) => e.method === 'DELETE')];
    const problems: string[] = [];
    for (const endpoint of entries) {
      const type = (['user', 'company', 'app'] as const).find((t) => endpoint.tokenTypes.includes(t)) ?? 'user';
      const res = await call(endpoint, tokenFor(type, [endpoint.scopes[0]]));
      if (res.noRoute || res.status === 405 || res.status === 401 || res.status === 403 || res.status >= 500) {
        problems.push(`${endpoint.id}: ${endpoint.method} ${res.path} -> ${res.status} ${res.text.slice(0, 160)}`);
      }
    }
    assert.deepEqual(problems, []);
  });

  it('refuses every entry to a token type the entry does not allow, and to a token without its scopes', async () => {
    const problems: string[] = [];
    // Refused before anything is done: writes change nothing here.
    for (const endpoint of BUILTIN_CATALOG) {
      const allowed = (['user', 'company'] as const).find((t) => endpoint.tokenTypes.includes(t)) ?? 'user';
      const other = (['user', 'company'] as const).find((t) => !endpoint.tokenTypes.includes(t));
      if (other) {
        const res = await call(endpoint, tokenFor(other, [...endpoint.scopes]));
        if (res.status !== 403) problems.push(`${endpoint.id}: a ${other} token got ${res.status}`);
      }
      const unscoped = await call(endpoint, tokenFor(allowed, ['openid']));
      if (unscoped.status !== 403) problems.push(`${endpoint.id}: a token without ${endpoint.scopes.join(' or ')} got ${unscoped.status}`);
    }
    assert.deepEqual(problems, []);
  });
});

/**
 * Expense v4 beyond the report and its expenses, as Concur's Workflows, Comments and Exceptions
 * reference pages describe them: submitting, approving, sending back and recalling a report (long
 * URLs for a user, short ones for a company token), comments on a report or an expense, and the
 * policy exceptions of both. Each change lives in the server's `MockState`, so a following GET (the
 * report's status, the approver's queue, the comments) sees it.
 */
import { randomBytes } from 'node:crypto';
import { APPROVAL, type ReportRecord } from './data';
import type { ServerEnv } from './env';
import { apiError, sendEmpty, sendJson, type ApiFamily, type Ctx } from './http';
import { sameId, v4ReportFor, v4User, type Handler, type Route } from './api';
import type { AccessRecord } from './tokens';
import { nowIso, readBody, str } from './writes';

type Json = Record<string, unknown>;

const V4 = '^\\/expensereports\\/v4\\/users\\/([^/]+)\\/context\\/([^/]+)\\/reports\\/([^/]+)';

/** Changes a report's approval status (in the server's state), keeping the rest. */
function setStatus(ctx: Ctx, env: ServerEnv, report: ReportRecord, approval: ReportRecord['approval'], changes: Partial<ReportRecord> = {}): void {
  env.state.reports.set(report.id, { ...report, ...changes, approval, lastModified: nowIso(ctx) });
}

function comment(ctx: Ctx, auth: AccessRecord, text: string, step: string): Json {
  const author = auth.principal.user;
  return {
    commentId: randomBytes(10).toString('hex').toUpperCase(),
    comment: text,
    author: author ? { firstName: author.givenName, lastName: author.familyName, userId: author.id } : { firstName: 'Concur', lastName: 'System', userId: null },
    creationDate: nowIso(ctx),
    stepName: step,
    isLatest: true,
  };
}

function addReportComment(ctx: Ctx, env: ServerEnv, auth: AccessRecord, reportId: string, text: string, step: string): void {
  const list = (env.state.reportComments.get(reportId) ?? []).map((c) => ({ ...c, isLatest: false }));
  env.state.reportComments.set(reportId, [...list, comment(ctx, auth, text, step)]);
}

/** The body of a workflow action: optional JSON; undefined once the 400 has been sent. */
function optionalBody(ctx: Ctx, family: ApiFamily, required: readonly string[] = []): Json | undefined {
  return ctx.body.toString('utf8').trim() || required.length ? readBody(ctx, family, required) : {};
}

// ---------------------------------------------------------------- submit, approve, send back, recall

function submit(ctx: Ctx, env: ServerEnv, auth: AccessRecord, [userId, reportId]: string[]): void {
  const user = v4User(ctx, env, auth, userId, 'TRAVELER');
  if (!user) {
    return;
  }
  const report = env.state.findReport(reportId);
  if (!report || report.ownerIndex !== user.index) {
    apiError(ctx, 'expense4', 404, `Report ${reportId} not found`);
    return;
  }
  if (report.approval.code !== APPROVAL.notSubmitted.code && report.approval.code !== APPROVAL.sentBack.code) {
    apiError(ctx, 'expense4', 409, `The report is ${report.approval.name}, not unsubmitted`);
    return;
  }
  setStatus(ctx, env, report, APPROVAL.pending, { submitDate: nowIso(ctx) });
  sendEmpty(ctx, 204);
}

/** The pending report a manager acts on (long URL), or undefined once the error has been sent. */
function managersReport(ctx: Ctx, env: ServerEnv, auth: AccessRecord, [userId, context, reportId]: string[]): ReportRecord | undefined {
  if (context !== 'MANAGER') {
    apiError(ctx, 'expense4', 400, `Invalid contextType: ${context}`, { validationErrors: [{ id: 'contextType', message: 'Supported value: MANAGER', source: 'path' }] });
    return undefined;
  }
  const report = v4ReportFor(ctx, env, auth, userId, context, reportId);
  return report && pending(ctx, report);
}

function pending(ctx: Ctx, report: ReportRecord): ReportRecord | undefined {
  if (report.approval.code !== APPROVAL.pending.code) {
    apiError(ctx, 'expense4', 400, `The report is ${report.approval.name}, not waiting for approval`, { validationErrors: [{ id: 'reportId', message: 'Not pending approval', source: 'path' }] });
    return undefined;
  }
  return report;
}

/** Whether an approval body is valid: its optional fields strings (statusId one of the report statuses). */
function approvalValid(ctx: Ctx, body: Json): boolean {
  const bad = ['comment', 'expenseRejectedComment', 'statusId', 'expectedStepCode', 'expectedStepSequence'].find((k) => body[k] !== undefined && typeof body[k] !== 'string');
  if (bad || (body.statusId !== undefined && !/^A_[A-Z]{4}$/.test(str(body.statusId)))) {
    apiError(ctx, 'expense4', 400, `${bad ?? 'statusId'} is not valid`, { validationErrors: [{ id: bad ?? 'statusId', message: 'Invalid value', source: 'body' }] });
    return false;
  }
  return true;
}

function approve(env: ServerEnv, ctx: Ctx, auth: AccessRecord, report: ReportRecord, body: Json): void {
  if (body.comment) {
    addReportComment(ctx, env, auth, report.id, str(body.comment), 'Approval');
  }
  setStatus(ctx, env, report, APPROVAL.approved);
  sendEmpty(ctx, 204);
}

function sendBack(env: ServerEnv, ctx: Ctx, auth: AccessRecord, report: ReportRecord, body: Json): void {
  addReportComment(ctx, env, auth, report.id, str(body.comment), 'Sent back');
  setStatus(ctx, env, report, APPROVAL.sentBack);
  sendEmpty(ctx, 204);
}

const approveAsManager: Handler = (ctx, env, auth, m) => {
  const report = managersReport(ctx, env, auth, m);
  const body = report && optionalBody(ctx, 'expense4');
  if (report && body && approvalValid(ctx, body)) {
    approve(env, ctx, auth, report, body);
  }
};

const sendBackAsManager: Handler = (ctx, env, auth, m) => {
  const report = managersReport(ctx, env, auth, m);
  const body = report && readBody(ctx, 'expense4', ['comment']);
  if (report && body) {
    sendBack(env, ctx, auth, report, body);
  }
};

/** The short URLs (company tokens): any report of the company. */
function companysReport(ctx: Ctx, env: ServerEnv, reportId: string): ReportRecord | undefined {
  const report = env.state.findReport(reportId);
  if (!report) {
    apiError(ctx, 'expense4', 404, `Report ${reportId} not found`);
    return undefined;
  }
  return pending(ctx, report);
}

const approveAsCompany: Handler = (ctx, env, auth, [reportId]) => {
  const report = companysReport(ctx, env, reportId);
  const body = report && optionalBody(ctx, 'expense4');
  if (report && body && approvalValid(ctx, body)) {
    approve(env, ctx, auth, report, body);
  }
};

const sendBackAsCompany: Handler = (ctx, env, auth, [reportId]) => {
  const report = companysReport(ctx, env, reportId);
  const body = report && readBody(ctx, 'expense4', ['comment']);
  if (report && body) {
    sendBack(env, ctx, auth, report, body);
  }
};

const recall: Handler = (ctx, env, auth, [userId, context, reportId]) => {
  if (context !== 'TRAVELER' && context !== 'PROXY') {
    apiError(ctx, 'expense4', 400, `Invalid contextType: ${context}`, { validationErrors: [{ id: 'contextType', message: 'Supported values: TRAVELER, PROXY', source: 'path' }] });
    return;
  }
  const report = v4ReportFor(ctx, env, auth, userId, context, reportId);
  if (report && pending(ctx, report)) {
    setStatus(ctx, env, report, APPROVAL.notSubmitted, { submitDate: null });
    sendEmpty(ctx, 204);
  }
};

// ---------------------------------------------------------------- comments

const reportComments: Handler = (ctx, env, auth, [userId, context, reportId]) => {
  const report = v4ReportFor(ctx, env, auth, userId, context, reportId);
  if (report) {
    const all = env.state.reportComments.get(report.id) ?? [];
    sendJson(ctx, 200, ctx.query.get('includeAllComments') === 'true' ? all : all.filter((c) => c.isLatest));
  }
};

const createReportComment: Handler = (ctx, env, auth, [userId, context, reportId]) => {
  const report = v4ReportFor(ctx, env, auth, userId, context, reportId);
  const body = report && readBody(ctx, 'expense4', ['comment']);
  if (report && body) {
    addReportComment(ctx, env, auth, report.id, str(body.comment), context === 'MANAGER' ? 'Approval' : 'Report');
    const uri = `${ctx.origin}/expensereports/v4/users/${userId}/context/${context}/reports/${report.id}/comments`;
    sendJson(ctx, 201, { uri }, { location: uri });
  }
};

/** The expense a long URL names, or undefined once the 404 has been sent. */
function expenseOf(ctx: Ctx, env: ServerEnv, auth: AccessRecord, [userId, context, reportId, expenseId]: string[]): { report: ReportRecord; expenseId: string } | undefined {
  const report = v4ReportFor(ctx, env, auth, userId, context, reportId);
  if (!report) {
    return undefined;
  }
  const expense = env.state.expensesOf(report).find((e) => sameId(e.expenseId, expenseId));
  if (!expense) {
    apiError(ctx, 'expense4', 404, `Expense ${expenseId} not found`);
    return undefined;
  }
  return { report, expenseId: expense.expenseId };
}

const expenseComments: Handler = (ctx, env, auth, m) => {
  const found = expenseOf(ctx, env, auth, m);
  if (found) {
    sendJson(ctx, 200, env.state.expenseComments.get(found.expenseId) ?? []);
  }
};

const createExpenseComment: Handler = (ctx, env, auth, m) => {
  const found = expenseOf(ctx, env, auth, m);
  const body = found && readBody(ctx, 'expense4', ['comment']);
  if (found && body) {
    const list = (env.state.expenseComments.get(found.expenseId) ?? []).map((c) => ({ ...c, isLatest: false }));
    env.state.expenseComments.set(found.expenseId, [...list, comment(ctx, auth, str(body.comment), 'Expense')]);
    const uri = `${ctx.origin}/expensereports/v4/users/${m[0]}/context/${m[1]}/reports/${m[2]}/expenses/${found.expenseId}/comments`;
    sendJson(ctx, 201, { uri }, { location: uri });
  }
};

// ---------------------------------------------------------------- exceptions

/** An expense without a receipt carries a (non-blocking) exception; the mock's policy has no other rule. */
function expenseExceptions(env: ServerEnv, report: ReportRecord): Json[] {
  return env.state.expensesOf(report)
    .filter((e) => !e.hasReceipt)
    .map((e) => ({ exceptionCode: 'NORECEIPT', exceptionVisibility: 'ALL', isBlocking: false, severityLevel: 10, message: 'This expense has no receipt image', expenseId: e.expenseId }));
}

const reportExceptions: Handler = (ctx, env, auth, [userId, context, reportId]) => {
  const report = v4ReportFor(ctx, env, auth, userId, context, reportId);
  if (report) {
    // The report header has no exceptions of its own here; excludeExpenses leaves the expenses' out.
    sendJson(ctx, 200, ctx.query.get('excludeExpenses') === 'true' ? [] : expenseExceptions(env, report));
  }
};

const expenseExceptionsOf: Handler = (ctx, env, auth, m) => {
  const found = expenseOf(ctx, env, auth, m);
  if (found) {
    sendJson(ctx, 200, expenseExceptions(env, found.report).filter((x) => x.expenseId === found.expenseId).map(({ expenseId: _id, ...x }) => x));
  }
};

// ---------------------------------------------------------------- routes

const UC: Route['principals'] = ['user', 'company'];
const R = (method: NonNullable<Route['method']>, source: string, scopes: readonly string[], principals: Route['principals'], handle: Handler): Route => ({ method, pattern: new RegExp(source), family: 'expense4', scopes, principals, handle });
const READ = ['expense.report.read', 'expense.report.readwrite'];
const WORKFLOW = ['expense.report.workflowstatus.write'];

export const EXPENSE_WORKFLOW_ROUTES: readonly Route[] = [
  R('PATCH', '^\\/expensereports\\/v4\\/users\\/([^/]+)\\/reports\\/([^/]+)\\/submit$', ['expense.report.readwrite'], UC, submit),
  R('PATCH', `${V4}\\/approve$`, WORKFLOW, ['user'], approveAsManager),
  R('PATCH', `${V4}\\/sendBack$`, WORKFLOW, ['user'], sendBackAsManager),
  R('PATCH', `${V4}\\/recall$`, WORKFLOW, ['user'], recall),
  R('PATCH', '^\\/expensereports\\/v4\\/reports\\/([^/]+)\\/approve$', WORKFLOW, ['company'], approveAsCompany),
  R('PATCH', '^\\/expensereports\\/v4\\/reports\\/([^/]+)\\/sendBack$', WORKFLOW, ['company'], sendBackAsCompany),
  R('GET', `${V4}\\/comments$`, READ, UC, reportComments),
  R('POST', `${V4}\\/comments$`, ['expense.report.readwrite'], UC, createReportComment),
  R('GET', `${V4}\\/expenses\\/([^/]+)\\/comments$`, READ, UC, expenseComments),
  R('POST', `${V4}\\/expenses\\/([^/]+)\\/comments$`, ['expense.report.readwrite'], UC, createExpenseComment),
  R('GET', `${V4}\\/exceptions$`, READ, UC, reportExceptions),
  R('GET', `${V4}\\/expenses\\/([^/]+)\\/exceptions$`, READ, UC, expenseExceptionsOf),
];

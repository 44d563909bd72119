/** The seeded company: users, expense reports, expenses, receipts, lists and countries. Deterministic. */
import { COMPANY, DEMO_PASSWORD, DEMO_USERS, demoUsername, type SignInOutcome } from './directory';
import { Prng, hashSeed } from './prng';
import type { DatacenterId } from './types';

export interface Address {
  streetAddress: string;
  locality: string;
  region: string;
  postalCode: string;
  country: string;
}

export interface TravelPreferences {
  seat: string;
  meal: string;
  homeAirport: string;
  railSeat: string;
  carType: string;
  hotelRoom: string;
}

export interface UserRecord {
  index: number;
  id: string;
  userName: string;
  email: string;
  givenName: string;
  familyName: string;
  displayName: string;
  title: string;
  department: string;
  costCenter: string;
  employeeId: string;
  active: boolean;
  home: DatacenterId;
  managerIndex?: number;
  workPhone: string;
  mobilePhone: string;
  address: Address;
  created: string;
  lastModified: string;
  locale: string;
  timezone: string;
  currency: string;
  password: string;
  ssoOnly: boolean;
  outcome?: SignInOutcome;
  travel: TravelPreferences;
}

export interface ApprovalStatus {
  code: string;
  name: string;
}

export interface ReportRecord {
  id: string;
  ownerIndex: number;
  approverIndex?: number;
  name: string;
  businessPurpose: string;
  reportDate: string;
  creationDate: string;
  submitDate: string | null;
  paidDate: string | null;
  lastModified: string;
  approval: ApprovalStatus;
  payment: ApprovalStatus;
  currency: string;
  countryCode: string;
  subdivision: string;
  /** Expense amounts in cents; expense details are derived from them on demand. */
  amounts: number[];
  total: number;
  seed: number;
}

export interface ExpenseRecord {
  expenseId: string;
  transactionDate: string;
  expenseType: { id: string; code: string; name: string };
  vendor: string;
  city: string;
  countryCode: string;
  businessPurpose: string;
  amount: number;
  currency: string;
  paymentType: { id: string; name: string; code: string };
  hasReceipt: boolean;
  isPersonal: boolean;
  receiptImageId: string | null;
}

export interface ReceiptRecord {
  id: string;
  userId: string;
  dateTimeReceived: string;
  merchant: string;
  total: number;
  currency: string;
  transactionDate: string;
  category: string;
  /** A posted receipt's JSON as sent, and the schema its link header named. */
  data?: Record<string, unknown>;
  schema?: string;
}

export interface ListItemRecord {
  id: string;
  listId: string;
  code: string;
  shortCode: string;
  value: string;
  parentId: string | null;
  level: number;
  children: ListItemRecord[];
}

export interface ListRecord {
  id: string;
  value: string;
  levelCount: number;
  searchCriteria: 'TEXT' | 'CODE';
  displayFormat: '(CODE) TEXT' | 'TEXT (CODE)';
  category: { id: string; type: string };
  isReadOnly: boolean;
  isDeleted: boolean;
  managedBy: string | null;
  items: ListItemRecord[];
}

export interface CountryRecord {
  code: string;
  name: string;
  alpha3: string;
  numCode: number;
  currency: string;
  distanceUnitCode: 'MILE' | 'KM';
}

export interface Dataset {
  users: UserRecord[];
  usersById: Map<string, UserRecord>;
  usersByName: Map<string, UserRecord>;
  reports: ReportRecord[];
  reportsByOwner: Map<number, ReportRecord[]>;
  reportsById: Map<string, ReportRecord>;
  pendingByApprover: Map<number, ReportRecord[]>;
  lists: ListRecord[];
  listsById: Map<string, ListRecord>;
  itemsById: Map<string, ListItemRecord>;
  countries: CountryRecord[];
  countriesByCode: Map<string, CountryRecord>;
  expensesOf(report: ReportRecord): ExpenseRecord[];
  receiptsOf(user: UserRecord): ReceiptRecord[];
}

/** Index of the demo user (Dana Traveler) in `users`. */
export const DEMO_USER_INDEX = 0;
/** Dana's reports: more than one v3 page at the default limit of 25. */
export const DEMO_USER_REPORTS = 60;
/** Dana approves for this many direct reports, each with one report pending. */
export const DEMO_USER_DIRECT_REPORTS = 8;

const GIVEN = ['Avery', 'Blake', 'Carmen', 'Devon', 'Elena', 'Farid', 'Grace', 'Hiro', 'Imani', 'Jonas', 'Keiko', 'Liam', 'Maya', 'Nikhil', 'Olga', 'Pablo', 'Quinn', 'Rosa', 'Sanjay', 'Tara', 'Umar', 'Vera', 'Wen', 'Ximena', 'Yusuf', 'Zoe', 'Aaron', 'Bianca', 'Chen', 'Dmitri', 'Esther', 'Felix', 'Gita', 'Hannah', 'Ivan', 'Julia', 'Kofi', 'Lena', 'Marco', 'Nadia'];
const FAMILY = ['Anderson', 'Bauer', 'Castillo', 'Dubois', 'Eriksen', 'Fischer', 'Garcia', 'Hughes', 'Ito', 'Jensen', 'Kowalski', 'Lindqvist', 'Moreau', 'Nakamura', 'Okafor', 'Petrov', 'Quintero', 'Rossi', 'Schmidt', 'Tanaka', 'Usman', 'Varga', 'Wagner', 'Xu', 'Yamamoto', 'Zimmerman', 'Abbott', 'Brennan', 'Costa', 'Duarte'];
const TITLES = ['Analyst', 'Senior Analyst', 'Consultant', 'Senior Consultant', 'Engineer', 'Senior Engineer', 'Account Executive', 'Sales Manager', 'Project Manager', 'Director', 'Coordinator', 'Specialist'];
const DEPARTMENTS = ['Finance', 'Sales', 'Marketing', 'Engineering', 'Professional Services', 'Operations', 'Human Resources', 'Legal', 'Customer Success', 'IT'];
const CITIES: ReadonlyArray<{ city: string; region: string; country: string; postal: string; tz: string; airport: string; currency: string; locale: string }> = [
  { city: 'Chicago', region: 'IL', country: 'US', postal: '60601', tz: 'America/Chicago', airport: 'ORD', currency: 'USD', locale: 'en-US' },
  { city: 'Seattle', region: 'WA', country: 'US', postal: '98101', tz: 'America/Los_Angeles', airport: 'SEA', currency: 'USD', locale: 'en-US' },
  { city: 'New York', region: 'NY', country: 'US', postal: '10001', tz: 'America/New_York', airport: 'JFK', currency: 'USD', locale: 'en-US' },
  { city: 'Austin', region: 'TX', country: 'US', postal: '73301', tz: 'America/Chicago', airport: 'AUS', currency: 'USD', locale: 'en-US' },
  { city: 'Boston', region: 'MA', country: 'US', postal: '02108', tz: 'America/New_York', airport: 'BOS', currency: 'USD', locale: 'en-US' },
  { city: 'Toronto', region: 'ON', country: 'CA', postal: 'M5H 2N2', tz: 'America/Toronto', airport: 'YYZ', currency: 'CAD', locale: 'en-CA' },
  { city: 'London', region: 'ENG', country: 'GB', postal: 'EC1A 1BB', tz: 'Europe/London', airport: 'LHR', currency: 'GBP', locale: 'en-GB' },
  { city: 'Munich', region: 'BY', country: 'DE', postal: '80331', tz: 'Europe/Berlin', airport: 'MUC', currency: 'EUR', locale: 'de-DE' },
];
const STREETS = ['Main St', 'Market St', 'Oak Ave', 'Lake Shore Dr', 'Elm St', 'Park Ave', 'Pine St', 'Harbor Blvd'];
const EXPENSE_TYPES = [
  { id: 'AIRFR', code: 'AIRFR', name: 'Airfare' },
  { id: 'LODNG', code: 'LODNG', name: 'Hotel' },
  { id: 'BRKFT', code: 'BRKFT', name: 'Breakfast' },
  { id: 'LUNCH', code: 'LUNCH', name: 'Lunch' },
  { id: 'DINNR', code: 'DINNR', name: 'Dinner' },
  { id: 'TAXIX', code: 'TAXIX', name: 'Taxi' },
  { id: 'CARRT', code: 'CARRT', name: 'Car Rental' },
  { id: 'PARKG', code: 'PARKG', name: 'Parking' },
  { id: 'OFCSP', code: 'OFCSP', name: 'Office Supplies' },
];
const VENDORS = ['United Airlines', 'Delta', 'Lufthansa', 'Marriott', 'Hilton', 'Hyatt', 'Starbucks', 'Uber', 'Lyft', 'Hertz', 'Avis', 'Staples', 'Pret A Manger', 'The Capital Grille'];
const PURPOSES = ['Client visit', 'Quarterly business review', 'Sales kickoff', 'Customer onboarding', 'Partner summit', 'Team offsite', 'Conference', 'Training'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const PAYMENT_TYPES = [
  { id: 'CASH', name: 'Cash', code: 'CASH' },
  { id: 'CBCP', name: 'Company Paid', code: 'CBCP' },
  { id: 'IBCP', name: 'Corporate Card', code: 'IBCP' },
];
export const APPROVAL: Record<string, ApprovalStatus> = {
  notSubmitted: { code: 'A_NOTF', name: 'Not Submitted' },
  pending: { code: 'A_PEND', name: 'Submitted & Pending Approval' },
  approved: { code: 'A_APPR', name: 'Approved' },
  sentBack: { code: 'A_RESU', name: 'Sent Back to Employee' },
};
const PAYMENT: Record<string, ApprovalStatus> = {
  notPaid: { code: 'P_NOTP', name: 'Not Paid' },
  processing: { code: 'P_PROC', name: 'Processing Payment' },
  paid: { code: 'P_PAYC', name: 'Payment Confirmed' },
};

const COUNTRIES: readonly CountryRecord[] = [
  { code: 'AR', name: 'ARGENTINA', alpha3: 'ARG', numCode: 32, currency: 'ARS', distanceUnitCode: 'KM' },
  { code: 'AT', name: 'AUSTRIA', alpha3: 'AUT', numCode: 40, currency: 'EUR', distanceUnitCode: 'KM' },
  { code: 'AU', name: 'AUSTRALIA', alpha3: 'AUS', numCode: 36, currency: 'AUD', distanceUnitCode: 'KM' },
  { code: 'BE', name: 'BELGIUM', alpha3: 'BEL', numCode: 56, currency: 'EUR', distanceUnitCode: 'KM' },
  { code: 'BR', name: 'BRAZIL', alpha3: 'BRA', numCode: 76, currency: 'BRL', distanceUnitCode: 'KM' },
  { code: 'CA', name: 'CANADA', alpha3: 'CAN', numCode: 124, currency: 'CAD', distanceUnitCode: 'KM' },
  { code: 'CH', name: 'SWITZERLAND', alpha3: 'CHE', numCode: 756, currency: 'CHF', distanceUnitCode: 'KM' },
  { code: 'CN', name: 'CHINA', alpha3: 'CHN', numCode: 156, currency: 'CNY', distanceUnitCode: 'KM' },
  { code: 'DE', name: 'GERMANY', alpha3: 'DEU', numCode: 276, currency: 'EUR', distanceUnitCode: 'KM' },
  { code: 'DK', name: 'DENMARK', alpha3: 'DNK', numCode: 208, currency: 'DKK', distanceUnitCode: 'KM' },
  { code: 'ES', name: 'SPAIN', alpha3: 'ESP', numCode: 724, currency: 'EUR', distanceUnitCode: 'KM' },
  { code: 'FI', name: 'FINLAND', alpha3: 'FIN', numCode: 246, currency: 'EUR', distanceUnitCode: 'KM' },
  { code: 'FR', name: 'FRANCE', alpha3: 'FRA', numCode: 250, currency: 'EUR', distanceUnitCode: 'KM' },
  { code: 'GB', name: 'UNITED KINGDOM', alpha3: 'GBR', numCode: 826, currency: 'GBP', distanceUnitCode: 'MILE' },
  { code: 'HK', name: 'HONG KONG', alpha3: 'HKG', numCode: 344, currency: 'HKD', distanceUnitCode: 'KM' },
  { code: 'IE', name: 'IRELAND', alpha3: 'IRL', numCode: 372, currency: 'EUR', distanceUnitCode: 'KM' },
  { code: 'IN', name: 'INDIA', alpha3: 'IND', numCode: 356, currency: 'INR', distanceUnitCode: 'KM' },
  { code: 'IT', name: 'ITALY', alpha3: 'ITA', numCode: 380, currency: 'EUR', distanceUnitCode: 'KM' },
  { code: 'JP', name: 'JAPAN', alpha3: 'JPN', numCode: 392, currency: 'JPY', distanceUnitCode: 'KM' },
  { code: 'MX', name: 'MEXICO', alpha3: 'MEX', numCode: 484, currency: 'MXN', distanceUnitCode: 'KM' },
  { code: 'NL', name: 'NETHERLANDS', alpha3: 'NLD', numCode: 528, currency: 'EUR', distanceUnitCode: 'KM' },
  { code: 'NO', name: 'NORWAY', alpha3: 'NOR', numCode: 578, currency: 'NOK', distanceUnitCode: 'KM' },
  { code: 'NZ', name: 'NEW ZEALAND', alpha3: 'NZL', numCode: 554, currency: 'NZD', distanceUnitCode: 'KM' },
  { code: 'PL', name: 'POLAND', alpha3: 'POL', numCode: 616, currency: 'PLN', distanceUnitCode: 'KM' },
  { code: 'PT', name: 'PORTUGAL', alpha3: 'PRT', numCode: 620, currency: 'EUR', distanceUnitCode: 'KM' },
  { code: 'SE', name: 'SWEDEN', alpha3: 'SWE', numCode: 752, currency: 'SEK', distanceUnitCode: 'KM' },
  { code: 'SG', name: 'SINGAPORE', alpha3: 'SGP', numCode: 702, currency: 'SGD', distanceUnitCode: 'KM' },
  { code: 'US', name: 'UNITED STATES', alpha3: 'USA', numCode: 840, currency: 'USD', distanceUnitCode: 'MILE' },
  { code: 'ZA', name: 'SOUTH AFRICA', alpha3: 'ZAF', numCode: 710, currency: 'ZAR', distanceUnitCode: 'KM' },
];

/** Every date in the data is relative to this fixed day, so the data never changes between runs. */
const BASE_DAY = Date.UTC(2025, 5, 30);
const DAY = 86_400_000;

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function isoDateTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function money(cents: number): number {
  return Math.round(cents) / 100;
}

const cache = new Map<number, Dataset>();

/** The company of `size` users; built once per size and shared by every server in the process. */
export function getDataset(size: number): Dataset {
  const n = Math.max(size, DEMO_USERS.length);
  let dataset = cache.get(n);
  if (!dataset) {
    dataset = buildDataset(n);
    cache.set(n, dataset);
  }
  return dataset;
}

function buildDataset(size: number): Dataset {
  const rng = new Prng(20240611);
  const users: UserRecord[] = [];
  const firstGenerated = DEMO_USERS.length;

  for (let index = 0; index < size; index++) {
    const seed = DEMO_USERS[index];
    const place = index === DEMO_USER_INDEX ? CITIES[0] : rng.pick(CITIES);
    const givenName = seed ? seed.givenName : rng.pick(GIVEN);
    const familyName = seed ? seed.familyName : rng.pick(FAMILY);
    const userName = seed
      ? demoUsername(seed.local)
      : `${givenName}.${familyName}.${index}@${COMPANY.domain}`.toLowerCase();
    const createdMs = BASE_DAY - rng.int(200, 2000) * DAY;
    const department = index === DEMO_USER_INDEX ? 'Professional Services' : rng.pick(DEPARTMENTS);
    users.push({
      index,
      id: seed ? seed.id : rng.uuid(),
      userName,
      email: userName,
      givenName,
      familyName,
      displayName: `${givenName} ${familyName}`,
      title: seed ? seed.title : rng.pick(TITLES),
      department,
      costCenter: `CC${1000 + rng.int(0, 249)}`,
      employeeId: `E${100000 + index}`,
      active: seed ? true : !rng.chance(0.04),
      home: seed ? seed.home : 'geo',
      managerIndex: undefined,
      workPhone: `+1 312 555 ${String(1000 + (index % 9000)).padStart(4, '0')}`,
      mobilePhone: `+1 773 555 ${String(9999 - (index % 9000)).padStart(4, '0')}`,
      address: {
        streetAddress: `${rng.int(1, 999)} ${rng.pick(STREETS)}`,
        locality: place.city,
        region: place.region,
        postalCode: place.postal,
        country: place.country,
      },
      created: isoDateTime(createdMs),
      lastModified: isoDateTime(createdMs + rng.int(1, 150) * DAY),
      locale: place.locale,
      timezone: place.tz,
      currency: place.currency,
      password: DEMO_PASSWORD,
      ssoOnly: seed?.ssoOnly ?? false,
      outcome: seed?.outcome,
      travel: {
        seat: rng.pick(['Aisle', 'Window', 'No Preference']),
        meal: rng.pick(['Regular', 'Vegetarian', 'Vegan', 'Kosher', 'Gluten Free']),
        homeAirport: place.airport,
        railSeat: rng.pick(['Aisle', 'Window']),
        carType: rng.pick(['Compact', 'Intermediate', 'Full Size', 'SUV']),
        hotelRoom: rng.pick(['King', 'Queen', 'Double', 'No Preference']),
      },
    });
  }

  // Managers: the first hundred generated users manage the rest; Dana manages a fixed team.
  for (let index = firstGenerated + 1; index < size; index++) {
    users[index].managerIndex = firstGenerated + (hashSeed(users[index].id) % Math.min(100, index - firstGenerated));
  }
  const team = directReportsOfDemoUser(size);
  for (const member of team) {
    users[member].managerIndex = DEMO_USER_INDEX;
  }
  if (size > firstGenerated) {
    users[DEMO_USER_INDEX].managerIndex = firstGenerated;
  }

  const reports: ReportRecord[] = [];
  const reportsByOwner = new Map<number, ReportRecord[]>();
  const teamSet = new Set(team);
  for (const user of users) {
    const ownRng = new Prng(hashSeed(`reports:${user.id}`));
    let count: number;
    if (user.index === DEMO_USER_INDEX) {
      count = DEMO_USER_REPORTS;
    } else if (user.index < firstGenerated) {
      count = 2;
    } else {
      count = ownRng.int(0, 3);
    }
    if (teamSet.has(user.index)) {
      count = Math.max(count, 1);
    }
    const owned: ReportRecord[] = [];
    for (let k = 0; k < count; k++) {
      // A team member's first report is the one waiting for Dana's approval.
      const forcePending = teamSet.has(user.index) && k === 0;
      owned.push(makeReport(ownRng, user, k, forcePending));
    }
    reportsByOwner.set(user.index, owned);
    reports.push(...owned);
  }
  const reportsById = new Map(reports.map((r) => [r.id, r]));
  const pendingByApprover = new Map<number, ReportRecord[]>();
  for (const report of reports) {
    if (report.approval.code === APPROVAL.pending.code && report.approverIndex !== undefined) {
      const queue = pendingByApprover.get(report.approverIndex) ?? [];
      queue.push(report);
      pendingByApprover.set(report.approverIndex, queue);
    }
  }

  const { lists, itemsById } = buildLists();
  const expenseCache = new WeakMap<ReportRecord, ExpenseRecord[]>();
  const receiptCache = new Map<number, ReceiptRecord[]>();

  return {
    users,
    usersById: new Map(users.map((u) => [u.id.toLowerCase(), u])),
    usersByName: new Map(users.map((u) => [u.userName.toLowerCase(), u])),
    reports,
    reportsByOwner,
    reportsById,
    pendingByApprover,
    lists,
    listsById: new Map(lists.map((l) => [l.id, l])),
    itemsById,
    countries: [...COUNTRIES],
    countriesByCode: new Map(COUNTRIES.map((c) => [c.code, c])),
    expensesOf(report) {
      let expenses = expenseCache.get(report);
      if (!expenses) {
        expenses = makeExpenses(report);
        expenseCache.set(report, expenses);
      }
      return expenses;
    },
    receiptsOf(user) {
      let receipts = receiptCache.get(user.index);
      if (!receipts) {
        receipts = makeReceipts(user);
        receiptCache.set(user.index, receipts);
      }
      return receipts;
    },
  };
}

function directReportsOfDemoUser(size: number): number[] {
  const team: number[] = [];
  const first = DEMO_USERS.length + 10;
  for (let i = 0; i < DEMO_USER_DIRECT_REPORTS && first + i < size; i++) {
    team.push(first + i);
  }
  return team;
}

function makeReport(rng: Prng, owner: UserRecord, k: number, forcePending: boolean): ReportRecord {
  const reportDay = BASE_DAY - (k * 6 + rng.int(0, 5)) * DAY;
  const roll = rng.next();
  let approval: ApprovalStatus;
  if (forcePending) {
    approval = APPROVAL.pending;
  } else if (roll < 0.25) {
    approval = APPROVAL.notSubmitted;
  } else if (roll < 0.4) {
    approval = APPROVAL.pending;
  } else if (roll < 0.45) {
    approval = APPROVAL.sentBack;
  } else {
    approval = APPROVAL.approved;
  }
  const submitted = approval !== APPROVAL.notSubmitted;
  const payment = approval === APPROVAL.approved ? (rng.chance(0.7) ? PAYMENT.paid : PAYMENT.processing) : PAYMENT.notPaid;
  const count = rng.int(1, 6);
  const amounts: number[] = [];
  for (let i = 0; i < count; i++) {
    amounts.push(rng.int(450, 95000));
  }
  const total = amounts.reduce((a, b) => a + b, 0);
  const month = MONTHS[new Date(reportDay).getUTCMonth()];
  const purpose = rng.pick(PURPOSES);
  const name = rng.chance(0.4) ? `${month} Expenses` : `${purpose} - ${owner.address.locality}`;
  return {
    id: rng.hex(20, true),
    ownerIndex: owner.index,
    approverIndex: owner.managerIndex,
    name,
    businessPurpose: purpose,
    reportDate: isoDate(reportDay),
    creationDate: isoDateTime(reportDay + rng.int(8, 17) * 3_600_000),
    submitDate: submitted ? isoDateTime(reportDay + DAY + rng.int(8, 17) * 3_600_000) : null,
    paidDate: payment === PAYMENT.paid ? isoDateTime(reportDay + 9 * DAY) : null,
    lastModified: isoDateTime(reportDay + 2 * DAY),
    approval,
    payment,
    currency: owner.currency,
    countryCode: owner.address.country,
    subdivision: `${owner.address.country}-${owner.address.region}`,
    amounts,
    total,
    seed: hashSeed(`report:${owner.id}:${k}`),
  };
}

function makeExpenses(report: ReportRecord): ExpenseRecord[] {
  const rng = new Prng(report.seed);
  const start = Date.parse(report.reportDate);
  return report.amounts.map((amount, i) => {
    const hasReceipt = rng.chance(0.8);
    return {
      expenseId: rng.hex(32, true),
      transactionDate: isoDate(start - (report.amounts.length - i) * DAY),
      expenseType: rng.pick(EXPENSE_TYPES),
      vendor: rng.pick(VENDORS),
      city: rng.pick(CITIES).city,
      countryCode: report.countryCode,
      businessPurpose: report.businessPurpose,
      amount,
      currency: report.currency,
      paymentType: rng.pick(PAYMENT_TYPES),
      hasReceipt,
      isPersonal: rng.chance(0.05),
      receiptImageId: hasReceipt ? rng.hex(32, true) : null,
    };
  });
}

function makeReceipts(user: UserRecord): ReceiptRecord[] {
  const rng = new Prng(hashSeed(`receipts:${user.id}`));
  const count = user.index === DEMO_USER_INDEX ? 5 : rng.int(0, 4);
  const receipts: ReceiptRecord[] = [];
  for (let i = 0; i < count; i++) {
    const day = BASE_DAY - (i * 3 + rng.int(0, 2)) * DAY;
    receipts.push({
      id: rng.hex(32),
      userId: user.id,
      dateTimeReceived: isoDateTime(day + rng.int(1, 20) * 3_600_000),
      merchant: rng.pick(VENDORS),
      total: rng.int(300, 60000),
      currency: user.currency,
      transactionDate: isoDate(day),
      category: rng.pick(EXPENSE_TYPES).name,
    });
  }
  return receipts;
}

function buildLists(): { lists: ListRecord[]; itemsById: Map<string, ListItemRecord> } {
  const rng = new Prng(77);
  const itemsById = new Map<string, ListItemRecord>();
  const categories: Record<string, { id: string; type: string }> = {
    Normal: { id: rng.uuid(), type: 'Normal' },
    Vendor: { id: rng.uuid(), type: 'Vendor' },
    Configuration: { id: rng.uuid(), type: 'Configuration' },
  };
  const specs: Array<{ value: string; category: string; names: (i: number) => string; count: number; code: (i: number) => string; children?: { min: number; max: number } }> = [
    { value: 'Airlines', category: 'Vendor', count: 40, code: (i) => `AL${String(i + 1).padStart(3, '0')}`, names: (i) => `${rng.pick(['Air', 'Sky', 'Jet', 'Aero'])} ${rng.pick(['Atlantic', 'Pacific', 'Nordic', 'Central', 'Coastal'])} ${i + 1}` },
    { value: 'Business Purposes', category: 'Normal', count: 20, code: (i) => `BP${String(i + 1).padStart(2, '0')}`, names: (i) => `${PURPOSES[i % PURPOSES.length]} ${Math.floor(i / PURPOSES.length) + 1}` },
    { value: 'Car Rental Vendors', category: 'Vendor', count: 12, code: (i) => `CR${String(i + 1).padStart(2, '0')}`, names: (i) => `${['Hertz', 'Avis', 'Enterprise', 'Sixt', 'Budget', 'National'][i % 6]} ${i < 6 ? 'US' : 'EU'}` },
    { value: 'Clients', category: 'Normal', count: 120, code: (i) => `CL${String(i + 1).padStart(4, '0')}`, names: (i) => `${rng.pick(FAMILY)} ${rng.pick(['Industries', 'Holdings', 'Partners', 'Logistics', 'Labs'])} ${i + 1}` },
    { value: 'Cost Centers', category: 'Normal', count: 250, code: (i) => `CC${1000 + i}`, names: (i) => `Cost Center ${1000 + i} ${DEPARTMENTS[i % DEPARTMENTS.length]}` },
    { value: 'Departments', category: 'Normal', count: DEPARTMENTS.length, code: (i) => `D${String(i + 1).padStart(2, '0')}`, names: (i) => DEPARTMENTS[i] },
    { value: 'Employee Groups', category: 'Configuration', count: 6, code: (i) => `EG${i + 1}`, names: (i) => ['US Employees', 'Canada Employees', 'UK Employees', 'Germany Employees', 'Contractors', 'Executives'][i] },
    { value: 'Hotel Chains', category: 'Vendor', count: 30, code: (i) => `HC${String(i + 1).padStart(2, '0')}`, names: (i) => `${['Marriott', 'Hilton', 'Hyatt', 'Accor', 'IHG'][i % 5]} ${['Downtown', 'Airport', 'Central', 'Harbor', 'Park', 'Plaza'][Math.floor(i / 5)]}` },
    { value: 'Legal Entities', category: 'Configuration', count: 4, code: (i) => `LE${i + 1}`, names: (i) => ['Globex Inc.', 'Globex Canada Ltd.', 'Globex UK Ltd.', 'Globex GmbH'][i] },
    { value: 'Payment Methods', category: 'Configuration', count: 5, code: (i) => `PM${i + 1}`, names: (i) => ['Cash', 'Corporate Card', 'Company Paid', 'Personal Card', 'Bank Transfer'][i] },
    { value: 'Projects', category: 'Normal', count: 60, code: (i) => `PRJ${String(i + 1).padStart(4, '0')}`, names: (i) => `Project ${rng.pick(['Apollo', 'Borealis', 'Cascade', 'Delta', 'Everest', 'Fjord', 'Granite', 'Helix'])} ${i + 1}`, children: { min: 2, max: 6 } },
    { value: 'Regions', category: 'Normal', count: 8, code: (i) => `R${i + 1}`, names: (i) => ['North America', 'Latin America', 'UK and Ireland', 'DACH', 'Nordics', 'Southern Europe', 'APJ', 'Middle East and Africa'][i] },
  ];
  const lists: ListRecord[] = specs.map((spec) => {
    const id = rng.uuid();
    const items: ListItemRecord[] = [];
    for (let i = 0; i < spec.count; i++) {
      const shortCode = spec.code(i);
      const item: ListItemRecord = { id: rng.uuid(), listId: id, code: shortCode, shortCode, value: spec.names(i), parentId: null, level: 1, children: [] };
      if (spec.children) {
        const n = rng.int(spec.children.min, spec.children.max);
        for (let c = 0; c < n; c++) {
          const childShort = `T${String(c + 1).padStart(2, '0')}`;
          const child: ListItemRecord = { id: rng.uuid(), listId: id, code: `${shortCode}-${childShort}`, shortCode: childShort, value: `${item.value} Task ${c + 1}`, parentId: item.id, level: 2, children: [] };
          item.children.push(child);
          itemsById.set(child.id, child);
        }
      }
      items.push(item);
      itemsById.set(item.id, item);
    }
    return {
      id,
      value: spec.value,
      levelCount: spec.children ? 2 : 1,
      searchCriteria: 'TEXT',
      displayFormat: '(CODE) TEXT',
      category: categories[spec.category],
      isReadOnly: spec.category === 'Configuration',
      isDeleted: false,
      managedBy: null,
      items,
    };
  });
  return { lists, itemsById };
}

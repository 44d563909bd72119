/**
 * What one server changes at run time: objects created, patched or deleted by the write endpoints,
 * plus the seeded objects of the families that have writes (attendees, travel requests, cash
 * advances, quick expenses, trips, invoices, vendors, purchase orders, budgets, financial
 * transactions). The seeded company of `data.ts` is shared by every server in the process and never
 * changes; each server shadows it here, so one test's writes never leak into another's server.
 */
import type { Dataset, ExpenseRecord, ListItemRecord, ListRecord, ReceiptRecord, ReportRecord, UserRecord } from './data';
import { DEMO_USERS } from './directory';
import { Prng, hashSeed } from './prng';

/** Fixed ids of seeded objects that no list endpoint reveals (the demo user's). */
export const FIXTURES = {
  /** Dana's trip (Itinerary v4). */
  tripId: '7b3e9f21-4c8a-4d5e-9f1b-2a6c8e0d4b13',
  /** Dana's approved, not yet issued cash advance (Cash Advance v4.1). */
  cashAdvanceId: 'A3F0C2D4E6B8490A9C1E3F5A7B9D0C21',
} as const;

type Json = Record<string, unknown>;

const BASE_DAY = Date.UTC(2025, 5, 30);
const DAY = 86_400_000;
const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const isoDateTime = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

const VENDOR_NAMES = ['Acme Office Supply', 'Northwind Traders', 'Contoso Facilities', 'Fabrikam Print', 'Litware Software', 'Tailspin Logistics', 'Wide World Importers', 'Proseware Consulting', 'Adatum Catering', 'Coho Cleaning'];
const CITIES = [
  { city: 'Chicago', state: 'IL', postal: '60601', country: 'US' },
  { city: 'Seattle', state: 'WA', postal: '98101', country: 'US' },
  { city: 'Toronto', state: 'ON', postal: 'M5H 2N2', country: 'CA' },
  { city: 'London', state: 'ENG', postal: 'EC1A 1BB', country: 'GB' },
];
const ATTENDEE_TYPES = ['BUSGUEST', 'EMPLOYEE', 'SPOUSE'];
const DESTINATIONS = [
  { city: 'Lyon, FRANCE', countryCode: 'FR', countrySubDivisionCode: 'FR-69', name: 'Lyon, FRANCE' },
  { city: 'Boston, Massachusetts', countryCode: 'US', countrySubDivisionCode: 'US-MA', name: 'Boston, Massachusetts' },
  { city: 'Berlin, GERMANY', countryCode: 'DE', countrySubDivisionCode: 'DE-BE', name: 'Berlin, GERMANY' },
  { city: 'Toronto, Ontario', countryCode: 'CA', countrySubDivisionCode: 'CA-ON', name: 'Toronto, Ontario' },
];

export interface AttendeeRecord extends Json {
  ID: string;
  AttendeeTypeID: string;
  FirstName: string;
  LastName: string;
  Company: string;
  Title: string;
  ExternalID: string;
  CurrencyCode: string;
}

export class MockState {
  /** Reports created or changed here, by upper-case id (they shadow the seeded ones). */
  readonly reports = new Map<string, ReportRecord>();
  /** Expense lists of reports whose expenses were created or changed here. */
  readonly expenses = new Map<string, ExpenseRecord[]>();
  readonly itemizations = new Map<string, Json[]>();
  /** Allocations by id, filled when an expense's allocations are first read. */
  readonly allocations = new Map<string, Json>();
  readonly expenseAttendees = new Map<string, Json>();
  /** Identity resources created or patched here, by lower-case id. */
  readonly identity = new Map<string, Json>();
  readonly spend = new Map<string, Json>();
  readonly provisions = new Map<string, Json>();
  readonly lists: ListRecord[] = [];
  readonly listsById = new Map<string, ListRecord>();
  readonly items = new Map<string, ListItemRecord>();
  readonly deletedItems = new Set<string>();
  readonly receipts = new Map<string, ReceiptRecord[]>();
  readonly attendees: AttendeeRecord[];
  private readonly requestsByUser = new Map<string, Json[]>();
  readonly requestsById = new Map<string, Json>();
  readonly cashAdvances = new Map<string, Json>();
  private readonly quickExpensesByUser = new Map<string, Json[]>();
  readonly trips = new Map<string, Json>();
  readonly paymentRequests: Json[];
  readonly vendors: Json[];
  readonly purchaseOrders = new Map<string, Json>();
  readonly budgets: Json[];
  /** Financial documents (Financial Integration v4), each with its `docStatus`, changed in place. */
  readonly fisTransactions: Json[];
  readonly fisPayments = new Map<string, Json>();
  /** Users deleted through Identity v4.1, by lower-case id. */
  readonly deletedUsers = new Set<string>();
  /** Comments added through Expense v4, by report id and by expense id. */
  readonly reportComments = new Map<string, Json[]>();
  readonly expenseComments = new Map<string, Json[]>();
  /** Expected expenses added to travel requests (Request v4), by request id. */
  readonly expectedExpenses = new Map<string, Json[]>();
  /** Custom exchange rates uploaded (Exchange Rate v4). */
  readonly exchangeRates: Json[] = [];

  constructor(private readonly dataset: Dataset) {
    const rng = new Prng(4242);
    const demo = dataset.users[0];
    this.attendees = Array.from({ length: 12 }, (_, i) => {
      const person = dataset.users[(i * 37 + 20) % dataset.users.length];
      return {
        ID: rng.hex(32, true),
        AttendeeTypeID: ATTENDEE_TYPES[i % 3],
        FirstName: person.givenName,
        LastName: person.familyName,
        Company: i % 3 === 1 ? 'Globex Demo Corporation' : `${rng.pick(VENDOR_NAMES)}`,
        Title: person.title,
        ExternalID: `ATT-${String(1000 + i)}`,
        CurrencyCode: 'USD',
      };
    });
    this.vendors = Array.from({ length: 40 }, (_, i) => {
      const place = CITIES[i % CITIES.length];
      return {
        VendorCode: `V${String(10001 + i)}`,
        AddressCode: `ADDR-${i % 3 === 0 ? 'MAIN' : 'REMIT'}`,
        VendorName: `${VENDOR_NAMES[i % VENDOR_NAMES.length]}${i >= VENDOR_NAMES.length ? ` ${Math.floor(i / VENDOR_NAMES.length) + 1}` : ''}`,
        Address1: `${100 + i * 7} Commerce Way`,
        City: place.city,
        State: place.state,
        PostalCode: place.postal,
        Country: place.country,
        CurrencyCode: place.country === 'US' ? 'USD' : place.country === 'CA' ? 'CAD' : 'GBP',
        TaxID: `${10 + (i % 89)}-${String(1000000 + i * 7919).slice(0, 7)}`,
        Approved: true,
      };
    });
    this.paymentRequests = Array.from({ length: 30 }, (_, i) => {
      const vendor = this.vendors[i % this.vendors.length];
      const day = BASE_DAY - i * 3 * DAY;
      const status = ['R_APPR', 'R_PEND', 'R_NOTF', 'R_APPR'][i % 4];
      const lines = Array.from({ length: 1 + (i % 3) }, (_, k) => {
        const quantity = 1 + ((i + k) % 5);
        const unit = rng.int(1500, 90000) / 100;
        return { LineNumber: k + 1, Description: `${['Toner', 'Consulting hours', 'Catering', 'Licenses'][k % 4]}`, Quantity: String(quantity), UnitPrice: unit.toFixed(2), TotalPrice: (unit * quantity).toFixed(2) };
      });
      const total = lines.reduce((sum, l) => sum + Number(l.TotalPrice), 0);
      return {
        ID: rng.hex(20, true),
        PaymentRequestId: rng.hex(20, true),
        Name: `${vendor.VendorName} ${isoDate(day).slice(0, 7)}`,
        InvoiceNumber: `INV-${String(88000 + i)}`,
        InvoiceDate: isoDate(day),
        InvoiceAmount: total.toFixed(2),
        CurrencyCode: vendor.CurrencyCode,
        ApprovalStatus: status,
        PaymentStatus: status === 'R_APPR' ? 'P_PAID' : 'P_NOTP',
        VendorRemitAddress: { VendorCode: vendor.VendorCode, AddressCode: vendor.AddressCode, Name: vendor.VendorName },
        OwnerLoginID: dataset.users[(i * 13) % dataset.users.length].userName,
        CreateDate: isoDateTime(day),
        LineItems: { LineItem: lines },
      };
    });
    for (let i = 0; i < 10; i++) {
      const vendor = this.vendors[i];
      const number = `PO-${String(10001 + i)}`;
      this.purchaseOrders.set(number, {
        PurchaseOrderNumber: number,
        Name: `${vendor.VendorName} supplies`,
        CurrencyCode: vendor.CurrencyCode,
        VendorCode: vendor.VendorCode,
        VendorAddressCode: vendor.AddressCode,
        OrderDate: isoDate(BASE_DAY - i * 10 * DAY),
        Status: 'OPEN',
        LineItem: [{ LineNumber: 1, Description: 'Office supplies', Quantity: 10 + i, UnitPrice: 12.5, ExpenseType: 'OFCSP' }],
      });
    }
    const fiscalYear = { id: 'b1f2c3d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d', name: '2025', startDate: '2025-01-01', endDate: '2025-12-31', status: 'OPEN', currentYear: true };
    this.budgets = ['Marketing', 'Sales', 'Engineering', 'Professional Services', 'Operations', 'Finance'].map((department, i) => {
      const owner = dataset.users[DEMO_USERS.length + i] ?? demo;
      const annual = (i + 2) * 25000;
      const spend = Math.round(annual * (0.15 + i * 0.1));
      return {
        id: rng.uuid(),
        name: `${department}-US-${owner.displayName}`,
        description: `${department} travel`,
        isTest: false,
        budgetItemStatusType: 'OPEN',
        periodType: i % 2 ? 'QUARTERLY' : 'YEARLY',
        active: true,
        owned: i === 0,
        currencyCode: 'USD',
        annualBudget: annual,
        budgetAmounts: { pendingAmount: Math.round(spend / 4), unExpensedAmount: 0, spendAmount: spend, availableAmount: annual - spend, threshold: spend > annual * 0.8 ? 'OVER' : 'UNDER', consumedPercent: Math.round((spend / annual) * 100) },
        owner: { employeeUuid: owner.id, name: owner.displayName, email: owner.email },
        budgetCategory: null,
        fiscalYear,
      };
    });
    const approved = dataset.reports.filter((r) => r.approval.code === 'A_APPR').slice(0, 30);
    this.fisTransactions = approved.map((report) => ({
      id: `${hashSeed(`fis:${report.id}`).toString(16).padStart(8, '0')}${report.id.toLowerCase()}`.slice(0, 32).padEnd(32, '0'),
      docType: 'expense',
      companyId: 'GLOBEXDEMO',
      entityId: 'p0042117yjuf',
      companyUuid: 'a7b3c1d9-2e4f-4a6b-8c0d-1e2f3a4b5c6d',
      erpSystemId: null,
      docStatus: 'READY',
      // The financial document itself, as JSON text (the real one is much longer).
      document: JSON.stringify({ reportId: report.id, reportName: report.name, employeeId: dataset.users[report.ownerIndex].employeeId, total: report.total / 100, currencyCode: report.currency, submitDate: report.submitDate }),
      links: [],
    }));
    this.trips.set(FIXTURES.tripId, tripOf(demo));
    // Eleven more trips of other travellers: Itinerary v4 lists them 10 at a time.
    for (let i = 1; i <= 11; i++) {
      const traveler = dataset.users[(i * 53) % dataset.users.length];
      const id = rng.uuid();
      this.trips.set(id, { ...tripOf(traveler), TripId: id, TripName: `Trip ${i} of ${traveler.displayName}`, TravelerUuid: traveler.id, TravelerName: traveler.displayName });
    }
    for (const [k, status] of [['C_APPR', 'Approved'], ['C_ISSU', 'Issued']].entries()) {
      const id = k === 0 ? FIXTURES.cashAdvanceId : `B4E1D3F5A7C9401B8D2F4A6C8E0B1D${32 + k}`;
      this.cashAdvances.set(id, {
        cashAdvanceId: id,
        userId: demo.id,
        name: k === 0 ? 'Cash Advance for Lyon' : 'Cash Advance for Boston',
        purpose: 'Customer workshop',
        comment: null,
        accountCode: `CA${demo.employeeId.slice(1)}`,
        amountRequested: { amount: k === 0 ? '500.00' : '250.00', currency: 'USD' },
        availableBalance: { amount: k === 0 ? '0.00' : '250.00', currency: 'USD' },
        exchangeRate: { operation: 'MULTIPLY', value: '1.00000000000000' },
        paymentType: { description: 'Payment in cash', paymentCode: 'CASH' },
        approvalStatus: { code: status[0], name: status[1] },
        requestDate: isoDate(BASE_DAY - (20 + k) * DAY),
        issuedDate: k === 0 ? null : isoDate(BASE_DAY - 18 * DAY),
        lastModifiedDate: isoDate(BASE_DAY - 18 * DAY),
        hasReceipts: false,
        reimbursementCurrency: 'USD',
      });
    }
  }

  findReport(id: string): ReportRecord | undefined {
    const key = id.toUpperCase();
    return this.reports.get(key) ?? this.dataset.reportsById.get(key);
  }

  expensesOf(report: ReportRecord): ExpenseRecord[] {
    return this.expenses.get(report.id) ?? this.dataset.expensesOf(report);
  }

  /** The report's expense list, copied here first so it can change. */
  mutableExpenses(report: ReportRecord): ExpenseRecord[] {
    let list = this.expenses.get(report.id);
    if (!list) {
      list = this.dataset.expensesOf(report).map((e) => ({ ...e }));
      this.expenses.set(report.id, list);
    }
    return list;
  }

  /** The reports waiting for an approver: the seeded ones still pending, and those submitted here. */
  pendingFor(approverIndex: number, seeded: readonly ReportRecord[]): ReportRecord[] {
    const out = seeded.map((r) => this.reports.get(r.id) ?? r).filter((r) => r.approval.code === 'A_PEND');
    for (const report of this.reports.values()) {
      if (report.approverIndex === approverIndex && report.approval.code === 'A_PEND' && !seeded.some((r) => r.id === report.id)) {
        out.push(report);
      }
    }
    return out;
  }

  findList(id: string): ListRecord | undefined {
    const key = id.toLowerCase();
    return this.listsById.get(key) ?? this.dataset.listsById.get(key);
  }

  findItem(id: string): ListItemRecord | undefined {
    const key = id.toLowerCase();
    if (this.deletedItems.has(key)) {
      return undefined;
    }
    return this.items.get(key) ?? this.dataset.itemsById.get(key);
  }

  /** Items below a list (parentId null) or an item, seeded and created here, minus the deleted. */
  childrenOf(listId: string, parentId: string | null, seeded: readonly ListItemRecord[]): ListItemRecord[] {
    const out = seeded.map((i) => this.items.get(i.id) ?? i).filter((i) => !this.deletedItems.has(i.id));
    for (const item of this.items.values()) {
      if (item.listId === listId && item.parentId === parentId && !seeded.some((s) => s.id === item.id) && !this.deletedItems.has(item.id)) {
        out.push(item);
      }
    }
    return out;
  }

  requestsOf(user: UserRecord): Json[] {
    let list = this.requestsByUser.get(user.id);
    if (!list) {
      const rng = new Prng(hashSeed(`requests:${user.id}`));
      const count = user.index === 0 ? 4 : rng.int(0, 2);
      list = Array.from({ length: count }, (_, i) => {
        const start = BASE_DAY + (10 + i * 14 + rng.int(0, 5)) * DAY;
        const destination = rng.pick(DESTINATIONS);
        const status = [['NOT_SUBMITTED', 'Not Submitted'], ['SUBMITTED', 'Submitted & Pending Approval'], ['APPROVED', 'Approved'], ['APPROVED', 'Approved']][i % 4];
        const amount = rng.int(20000, 180000) / 100;
        return newRequest(rng.hex(32, true), user, {
          name: `${destination.city.split(',')[0]} ${['customer visit', 'training', 'conference', 'offsite'][i % 4]}`,
          businessPurpose: ['Customer visit', 'Training', 'Conference', 'Team offsite'][i % 4],
          startDate: isoDate(start),
          endDate: isoDate(start + rng.int(1, 4) * DAY),
          mainDestination: destination,
          policy: { id: 'F4C8BD31CA9D4D6292795BE687EB9B2A' },
        }, status, amount, isoDateTime(BASE_DAY - (i + 1) * 5 * DAY));
      });
      this.requestsByUser.set(user.id, list);
      for (const request of list) {
        this.requestsById.set(String(request.id), request);
      }
    }
    return list;
  }

  addRequest(user: UserRecord, request: Json): void {
    this.requestsOf(user).unshift(request);
    this.requestsById.set(String(request.id), request);
  }

  removeRequest(id: string): void {
    const request = this.requestsById.get(id);
    this.requestsById.delete(id);
    const ownerId = (request?.owner as { id?: string } | undefined)?.id;
    const list = ownerId ? this.requestsByUser.get(ownerId) : undefined;
    if (list && request) {
      list.splice(list.indexOf(request), 1);
    }
  }

  quickExpensesOf(user: UserRecord): Json[] {
    let list = this.quickExpensesByUser.get(user.id);
    if (!list) {
      const rng = new Prng(hashSeed(`quickexpenses:${user.id}`));
      list = Array.from({ length: user.index === 0 ? 3 : rng.int(0, 2) }, (_, i) => ({
        quickExpenseId: rng.hex(32, true),
        expenseTypeId: ['BUSML', 'TAXIX', 'PARKG'][i % 3],
        transactionDate: isoDate(BASE_DAY - (i + 1) * 2 * DAY),
        transactionAmount: { value: rng.int(800, 9500) / 100, currencyCode: user.currency },
        paymentTypeId: 'CASHX',
        vendor: ['Pret A Manger', 'Yellow Cab', 'City Parking'][i % 3],
        comment: null,
        location: { city: user.address.locality, countryCode: user.address.country, countrySubDivisionCode: `${user.address.country}-${user.address.region}` },
      }));
      this.quickExpensesByUser.set(user.id, list);
    }
    return list;
  }
}

/** A Request v4 resource. */
export function newRequest(id: string, owner: UserRecord, fields: Json, status: string[] = ['NOT_SUBMITTED', 'Not Submitted'], amount = 0, created = isoDateTime(BASE_DAY)): Json {
  const money = { value: amount, currency: owner.currency };
  return {
    id,
    requestId: id.slice(0, 4),
    approvalStatus: { code: status[0], name: status[1] },
    approved: status[0] === 'APPROVED',
    pendingApproval: status[0] === 'SUBMITTED',
    canceledPostApproval: false,
    closed: false,
    everSentBack: false,
    creationDate: created,
    lastModified: created,
    ...(status[0] === 'NOT_SUBMITTED' ? {} : { submitDate: created }),
    owner: { id: owner.id, firstName: owner.givenName, lastName: owner.familyName },
    type: { code: 'TRAVEL', label: 'Travel' },
    expenses: [],
    totalApprovedAmount: money,
    totalPostedAmount: money,
    totalRemainingAmount: money,
    ...fields,
  };
}

function tripOf(user: UserRecord): Json {
  return {
    TripId: FIXTURES.tripId,
    TripName: 'Trip to Boston',
    BookedVia: 'Online',
    StartDateLocal: '2025-07-14T07:00:00',
    EndDateLocal: '2025-07-17T21:00:00',
    TravelerUuid: user.id,
    TravelerName: user.displayName,
    Status: 'Confirmed',
    DateCreatedUtc: '2025-06-20T15:32:10.000+00:00',
    DateModifiedUtc: '2025-06-21T09:02:44.000+00:00',
    Bookings: [
      {
        RecordLocator: 'QX7K2M',
        BookingSource: 'Sabre',
        AgencyName: 'Globex Travel',
        Segments: {
          Air: [
            { Vendor: 'UA', VendorName: 'United Airlines', FlightNumber: '1542', StartCityCode: 'ORD', EndCityCode: 'BOS', StartDateLocal: '2025-07-14T07:00:00', EndDateLocal: '2025-07-14T10:25:00', ClassOfService: 'Y', Status: 'HK' },
            { Vendor: 'UA', VendorName: 'United Airlines', FlightNumber: '1869', StartCityCode: 'BOS', EndCityCode: 'ORD', StartDateLocal: '2025-07-17T18:10:00', EndDateLocal: '2025-07-17T20:05:00', ClassOfService: 'Y', Status: 'HK' },
          ],
          Hotel: [{ Vendor: 'MC', Name: 'Boston Marriott Copley Place', CheckinDateLocal: '2025-07-14', CheckoutDateLocal: '2025-07-17', Rate: 289, Currency: 'USD', ConfirmationNumber: '84421907', NumRooms: 1 }],
        },
        AirlineTickets: { AirlineTicket: [{ TicketNumber: '0162384910273', TotalFare: 412.6, TotalFareCurrency: 'USD', IssueDateTime: '2025-06-20T15:40:00.000-00:00' }] },
      },
    ],
  };
}

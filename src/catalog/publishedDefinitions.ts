/**
 * Concur's published API definition files, as facts: each file's version folder and name on
 * Concur's developer site (`https://developer.concur.com/api-explorer/<version>/<file>`, the source
 * of which is the public repository SAP-docs/preview.developer.concur.com under `src/api-explorer/`),
 * the product it documents, the family it belongs to in "Add Concur's Published API Definitions…",
 * and — for the few files whose own base path does not lead to the path Concur's hosts serve — the
 * base path Concur's reference pages give. No file's content is kept here.
 *
 * Knows nothing of VS Code.
 */
import { l10n } from '../platform/l10n';

export type PublishedFamily = 'expense' | 'receipts' | 'invoice' | 'request' | 'travel' | 'users' | 'lists' | 'finance' | 'platform';

export interface PublishedDefinition {
  /** `<version folder>/<file name>`, e.g. `v4-0/Cards.oas3.json`: the key kept in settings. */
  readonly key: string;
  /** The product group's name in the API Catalog. */
  readonly product: string;
  readonly family: PublishedFamily;
  /**
   * The base path to use instead of the file's own, where the file's own is wrong: the file names a
   * host-specific or internal prefix, or none, while Concur's reference page gives the path served.
   */
  readonly basePath?: string;
}

/** The families offered, in the order shown, with what each holds. */
export function publishedFamilies(): { id: PublishedFamily; label: string; detail: string }[] {
  return [
    { id: 'expense', label: l10n.t('Expense'), detail: l10n.t('Expense reports v1.1–v4, quick expenses, allocations, attendees, cash advances, exchange rates, travel allowance') },
    { id: 'receipts', label: l10n.t('Receipts and images'), detail: l10n.t('Receipts v4, Image v1, Spend Documents v4') },
    { id: 'invoice', label: l10n.t('Invoice'), detail: l10n.t('Payment requests, vendors, purchase orders, purchase requests, invoice payments') },
    { id: 'request', label: l10n.t('Request'), detail: l10n.t('Travel requests v3–v4') },
    { id: 'travel', label: l10n.t('Travel'), detail: l10n.t('Itinerary v4, Meetings v4, Hotel Service v4, Insights') },
    { id: 'users', label: l10n.t('Users and identity'), detail: l10n.t('Identity v4 and v4.1, SCIM v4, User Provisioning v4, User Retrieval v4, Users v3') },
    { id: 'lists', label: l10n.t('Lists'), detail: l10n.t('Lists and list items v3–v4') },
    { id: 'finance', label: l10n.t('Finance and company'), detail: l10n.t('Budget, Financial Integration, Accounting Integration, Cards, Document Compliance, locations, suppliers') },
    { id: 'platform', label: l10n.t('Platform'), detail: l10n.t('Event subscriptions, notifications, connection requests, Maestro, Detokenizer') },
  ];
}

export const PUBLISHED_DEFINITIONS: readonly PublishedDefinition[] = [
  // Expense
  { key: 'v1-1/ExpenseReportForms.swagger2.json', product: 'Expense Report Forms v1.1', family: 'expense' },
  { key: 'v1-1/ExpenseReportFormFields.swagger2.json', product: 'Expense Report Form Fields v1.1', family: 'expense' },
  { key: 'v3-0/Allocations.swagger2.json', product: 'Allocations v3', family: 'expense' },
  { key: 'v3-0/AttendeeTypes.swagger2.json', product: 'Attendee Types v3', family: 'expense' },
  { key: 'v3-0/Attendees.swagger2.json', product: 'Attendees v3', family: 'expense' },
  { key: 'v3-0/DigitalTaxInvoices.swagger2.json', product: 'Digital Tax Invoices v3', family: 'expense' },
  { key: 'v3-0/Entries.swagger2.json', product: 'Expense Entries v3', family: 'expense' },
  { key: 'v3-0/EntryAttendeeAssociations.swagger2.json', product: 'Entry Attendee Associations v3', family: 'expense' },
  { key: 'v3-0/ExpenseGroupConfigurations.swagger2.json', product: 'Expense Group Configurations v3', family: 'expense' },
  { key: 'v3-0/Itemizations.swagger2.json', product: 'Itemizations v3', family: 'expense' },
  { key: 'v3-0/Reports.swagger2.json', product: 'Expense Reports v3', family: 'expense' },
  { key: 'v4-0/Reports.swagger.json', product: 'Expense Report v4', family: 'expense' },
  { key: 'v4-0/QuickExpenses.swagger.json', product: 'Quick Expense v4', family: 'expense' },
  { key: 'v4-0/Attendees.swagger2.json', product: 'Attendees v4', family: 'expense' },
  { key: 'v4-0/CashAdvance.swagger2.json', product: 'Cash Advance v4.0', family: 'expense' },
  { key: 'v4-1/CashAdvance.swagger2.json', product: 'Cash Advance v4.1', family: 'expense' },
  { key: 'v4-0/ExchangeRate.swagger2.json', product: 'Exchange Rate v4', family: 'expense' },
  // The file puts `/api/v4.0` before paths that already start with `/api/v4/travelallowance`.
  { key: 'v4-0/TravelAllowanceDays.swagger2.json', product: 'Travel Allowance Days v4', family: 'expense', basePath: '' },
  // Receipts and images
  { key: 'v1-0/Image.swagger2.json', product: 'Image v1', family: 'receipts' },
  { key: 'v3-0/ReceiptImages.swagger2.json', product: 'Receipt Images v3', family: 'receipts' },
  { key: 'v4-0/Receipts.swagger2.json', product: 'Receipts v4', family: 'receipts' },
  { key: 'v4-0/SpendDocuments.swagger2.json', product: 'Spend Documents v4', family: 'receipts' },
  // Invoice
  { key: 'v3-0/LocalizedData.swagger2.json', product: 'Localized Data v3', family: 'invoice' },
  { key: 'v3-0/PaymentRequest.swagger2.json', product: 'Payment Request v3', family: 'invoice' },
  { key: 'v3-0/PaymentRequestDigest.swagger2.json', product: 'Payment Request Digest v3', family: 'invoice' },
  { key: 'v3-0/PurchaseOrderReceipts.swagger2.json', product: 'Purchase Order Receipts v3', family: 'invoice' },
  { key: 'v3-0/PurchaseOrders.swagger2.json', product: 'Purchase Orders v3', family: 'invoice' },
  { key: 'v3-0/SalesTaxValidationRequest.swagger2.json', product: 'Sales Tax Validation v3', family: 'invoice' },
  { key: 'v3-0/VendorBank.swagger2.json', product: 'Vendor Bank v3.0', family: 'invoice' },
  { key: 'v3-1/VendorBank.swagger2.json', product: 'Vendor Bank v3.1', family: 'invoice' },
  { key: 'v3-0/VendorGroup.swagger2.json', product: 'Vendor Group v3.0', family: 'invoice' },
  { key: 'v3-1/VendorGroup.swagger2.json', product: 'Vendor Group v3.1', family: 'invoice' },
  { key: 'v3-0/Vendors.swagger2.json', product: 'Vendors v3.0', family: 'invoice' },
  { key: 'v3-1/Vendors.swagger2.json', product: 'Vendors v3.1', family: 'invoice' },
  // The file names an internal host and no prefix; Concur serves these under /invoice.
  { key: 'v4-0/InvoicePay.swagger2.json', product: 'Invoice Pay v4', family: 'invoice', basePath: '/invoice' },
  // The file puts `/api/v4.0` in front; Concur serves /purchaserequest/v4/….
  { key: 'v4-0/PurchaseRequest.swagger2.json', product: 'Purchase Request v4', family: 'invoice', basePath: '' },
  // Request
  { key: 'v3-0/Requests.swagger2.json', product: 'Request v3.0', family: 'request' },
  { key: 'v3-1/Requests.swagger2.json', product: 'Request v3.1', family: 'request' },
  { key: 'v3-1/RequestGroupConfigurations.swagger2.json', product: 'Request Group Configurations v3.1', family: 'request' },
  { key: 'v4-0/ConcurRequest.swagger2.json', product: 'Request v4', family: 'request' },
  { key: 'v4-0/ConcurRequest-ea.swagger2.json', product: 'Request v4 (early access)', family: 'request' },
  // Travel
  { key: 'v4-0/Itinerary.swagger2.json', product: 'Itinerary v4', family: 'travel' },
  { key: 'v4-0/Meetings.oas3.json', product: 'Meetings v4', family: 'travel' },
  // Hotel Service v4 is implemented by hotel suppliers: its paths are on the supplier's host.
  { key: 'v4-0/HotelService.swagger2.json', product: 'Hotel Service v4 (supplier endpoints)', family: 'travel' },
  { key: 'v3-0/LatestBookings.swagger2.json', product: 'Insights: Latest Bookings v3', family: 'travel' },
  { key: 'v3-0/Opportunities.swagger2.json', product: 'Insights: Opportunities v3', family: 'travel' },
  // Users and identity
  { key: 'v4-0/Identity.swagger2.json', product: 'Identity v4', family: 'users' },
  { key: 'v4-1/Identity.swagger2.json', product: 'Identity v4.1', family: 'users' },
  { key: 'v4-0/Scim.swagger2.json', product: 'SCIM v4', family: 'users' },
  { key: 'v4-0/UserProvisioning.swagger2.json', product: 'User Provisioning v4', family: 'users' },
  { key: 'v4-0/UserRetrieval.swagger.json', product: 'User Retrieval v4', family: 'users' },
  { key: 'v3-0/Users.swagger2.json', product: 'Users v3', family: 'users' },
  // Concur's reference gives GET /users/ on the datacenter's host, without the file's /concur/api/v3.1.
  { key: 'v3-1/BulkUser.swagger.json', product: 'Users Bulk v3.1', family: 'users', basePath: '' },
  // Lists
  { key: 'v3-0/Lists.swagger2.json', product: 'Lists v3', family: 'lists' },
  { key: 'v3-0/ListItems.swagger2.json', product: 'List Items v3', family: 'lists' },
  { key: 'v4-0/List.swagger2.json', product: 'List v4', family: 'lists' },
  { key: 'v4-0/ListItem.swagger2.json', product: 'List Item v4', family: 'lists' },
  { key: 'v4-0/ListItemBulk.swagger2.json', product: 'List Item Bulk v4', family: 'lists' },
  // Finance and company
  { key: 'v4-0/Budget.swagger2.json', product: 'Budget v4', family: 'finance' },
  // The file's server path is /api/v4.0; Concur serves /financialintegration/fi/v4/….
  { key: 'v4-0/FinancialIntegrationService.swagger2.json', product: 'Financial Integration v4', family: 'finance', basePath: '/financialintegration' },
  { key: 'v4-0/AccountingIntegration.swagger2.json', product: 'Accounting Integration v4', family: 'finance' },
  { key: 'v4-0/Cards.oas3.json', product: 'Cards v4', family: 'finance' },
  { key: 'v4-0/DocumentComplianceGateway.swagger2.json', product: 'Document Compliance Gateway v4', family: 'finance' },
  { key: 'v3-0/Locations.swagger2.json', product: 'Locations v3', family: 'finance' },
  { key: 'v3-0/Suppliers.swagger2.json', product: 'Suppliers v3', family: 'finance' },
  // Platform
  // The file names a test host and no prefix; Concur serves /events/v4/….
  { key: 'v4-0/EventSubscriptionService.swagger.json', product: 'Event Subscription v4', family: 'platform', basePath: '/events' },
  { key: 'v4-0/PartnerNotifications.swagger2.json', product: 'Partner Notifications v4', family: 'platform' },
  { key: 'v3-2/ConnectionRequests.swagger.json', product: 'Connection Requests v3.2', family: 'platform' },
  { key: 'v4-0/Maestro.swagger2.json', product: 'Maestro v4', family: 'platform' },
  { key: 'v4-0/Detokenizer.swagger2.json', product: 'Detokenizer v4', family: 'platform' },
];

/** Where Concur's developer site serves its definition files. */
export const DEFAULT_PUBLISHED_BASE_URL = 'https://developer.concur.com/api-explorer';

/** The URL of a published file under a base URL (the setting's, or Concur's). */
export function publishedUrl(baseUrl: string, key: string): string {
  return `${baseUrl.trim().replace(/\/+$/, '')}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

export function publishedByKey(key: string): PublishedDefinition | undefined {
  return PUBLISHED_DEFINITIONS.find((d) => d.key === key);
}

/** The published file a URL under the base URL names (its key), else undefined. */
export function publishedKeyOf(baseUrl: string, url: string): string | undefined {
  const prefix = `${baseUrl.trim().replace(/\/+$/, '')}/`;
  if (!url.startsWith(prefix)) return undefined;
  let key: string;
  try {
    key = decodeURIComponent(url.slice(prefix.length));
  } catch {
    return undefined;
  }
  return publishedByKey(key)?.key;
}

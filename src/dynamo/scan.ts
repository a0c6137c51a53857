/**
 * The `Limit` every Scan and Query of ddbm sends (a page still ends at 1 MB). DynamoDB Local reads the
 * rest of the table for every page of a Scan without `Limit`, so scanning grows with the square of the
 * table size there (counting 200,000 items: 45 s without, 3.5 s with; docs/engines.md); on AWS it only
 * bounds the items a page evaluates.
 */
export const SCAN_PAGE_LIMIT = 10_000

// Every error a user of JointGraph can meet: a stable code, the HTTP status it implies at
// the edge, and a hint that says what to do next. The README's error table is checked against it.

export interface ErrorSpec {
  status: number;
  hint: string;
}

export const ERRORS = Object.freeze({
  BAD_REQUEST: { status: 400, hint: 'Send a JSON body {"query": "...", "variables": {...}} or a GET with ?query=.' },
  GRAPHQL_PARSE_FAILED: { status: 400, hint: 'Fix the GraphQL syntax at the reported location.' },
  GRAPHQL_VALIDATION_FAILED: { status: 400, hint: 'Check field and argument names against the schema (GraphiQL at /graphiql).' },
  OPERATION_LIMIT_EXCEEDED: { status: 400, hint: 'Ask for less in one operation (see extensions.limit, measured and allowed): fewer levels, aliases or items per list; page through large lists.' },
  BAD_USER_INPUT: { status: 400, hint: 'Check the variable values against the types the operation declares.' },
  OPERATION_NOT_FOUND: { status: 400, hint: 'Name the operation to run with "operationName".' },
  PERSISTED_QUERY_NOT_FOUND: { status: 200, hint: 'The gateway does not know this hash yet: send the request again with the document in "query" beside the same extensions.persistedQuery.' },
  PERSISTED_QUERY_HASH_MISMATCH: { status: 400, hint: 'extensions.persistedQuery.sha256Hash must be the hex SHA-256 of the "query" text sent with it.' },
  OPERATION_NOT_REGISTERED: { status: 400, hint: 'This app runs registered operations only: register the operation through /admin/graphql (registerOperation) and send its hash.' },
  RESPONSE_TOO_LARGE: { status: 400, hint: 'The answer would exceed the gateway\'s response limit; ask for fewer fields or smaller pages (first/offset).' },
  OPERATION_NOT_SUPPORTED: { status: 400, hint: 'Send a query (or a mutation where the supergraph has one); subscriptions are not served over HTTP requests.' },
  METHOD_NOT_ALLOWED: { status: 405, hint: 'Use POST (any operation) or GET (queries only) on /graphql.' },
  NOT_FOUND: { status: 404, hint: 'Requesters use /graphql (GraphiQL at /graphiql); operators and providers use /admin/graphql.' },
  NOT_ACCEPTABLE: { status: 406, hint: 'Accept application/graphql-response+json or application/json.' },
  PAYLOAD_TOO_LARGE: { status: 413, hint: 'Send a smaller request body; the limit is a gateway setting (JG_BODY_LIMIT).' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, hint: 'Send Content-Type: application/json (or application/graphql-response+json).' },
  UNAUTHENTICATED: { status: 401, hint: 'Send an API key (x-api-key) or a bearer JWT issued for your app; see the README for demo apps.' },
  PURPOSE_REQUIRED: { status: 400, hint: 'State why you need the data: an x-jointgraph-purpose header or a purpose claim, e.g. tax-inspection/CASE-2026-0042.' },
  PURPOSE_INVALID: { status: 400, hint: 'Write the purpose as a purpose code (letters, digits, hyphens), then optional "/"-separated case ids (letters, digits, "-", "_", "."; no "." or ".." segment), 200 characters at most: tax-inspection/CASE-2026-0042.' },
  PURPOSE_NOT_PERMITTED: { status: 403, hint: 'State a purpose your app is registered for ("purposes" in apps.json); with a token that carries a purpose, the header may only narrow it to a case under it (purpose/CASE-ID).' },
  ORIGIN_NOT_ALLOWED: { status: 403, hint: 'A browser app is used only from the origins its registry entry lists ("origins" in apps.json); ask the operator to add yours.' },
  OPERATION_REJECTED: { status: 403, hint: 'The operation asks for fields you are not granted; remove them or apply for them (see extensions.denied).' },
  FORBIDDEN_FIELD: { status: 200, hint: 'Apply for the field through /admin/graphql (see extensions.apply); a grant needs the provider and the operator to approve.' },
  FORBIDDEN_ROW: { status: 200, hint: 'Your grant covers records of your own district only; ask for a grant without a district limit.' },
  ADMIN_UNAUTHENTICATED: { status: 401, hint: 'Send the admin token of the operator or of a provider as a bearer token.' },
  NOT_A_PARTY: { status: 200, hint: 'Only the operator and the providers owning the requested fields answer an application.' },
  NOT_A_RECIPIENT: { status: 200, hint: 'Only an app that received a field (per the audit trail) may object to its values: request the value first, under a grant for your purpose.' },
  OPERATOR_ONLY: { status: 403, hint: 'Only the operator reads /metrics and the detailed /health: send the operator\'s admin token as a bearer token.' },
  APPLICATION_INVALID: { status: 200, hint: 'Name existing, conditionally shared coordinates (or a label selector), a purpose, a basis and a future expiry.' },
  APPLICATION_NOT_FOUND: { status: 200, hint: 'Check the application id; list applications with the applications query.' },
  ALREADY_ANSWERED: { status: 200, hint: 'The application is no longer pending; a new application starts a new approval.' },
  OPERATION_NOT_GRANTED: { status: 200, hint: 'Registered operations must be granted for the purpose they are registered for: apply for the named fields first, or leave them out.' },
  LIMIT_REACHED: { status: 200, hint: 'Wait for answers to the applications or objections your app already filed before filing more; the limit is per app.' },
  REASON_REQUIRED: { status: 200, hint: 'A refusal or a revocation must state its reason.' },
  SUBGRAPH_UNAVAILABLE: { status: 200, hint: 'The provider could not be reached; the rest of the data was returned. Retry later.' },
  SUBGRAPH_TIMEOUT: { status: 200, hint: 'The provider did not answer within its timeout; the rest of the data was returned. Retry later.' },
  SUBGRAPH_ERROR: { status: 200, hint: 'The provider reported an error for these fields; see extensions.providerError.' },
  SUBGRAPH_CIRCUIT_OPEN: { status: 200, hint: 'The provider failed repeatedly and is not being asked for a few seconds; the rest of the data was returned. Retry shortly.' },
  SUBGRAPH_RESPONSE_TOO_LARGE: { status: 200, hint: 'The provider\'s answer exceeded the size the gateway reads from one provider; ask for smaller pages.' },
  SUBGRAPH_BAD_RESPONSE: { status: 200, hint: 'The provider sent a response that is not GraphQL; its operator has been told via /health.' },
  LABEL_BASIS_MISSING: { status: 500, hint: 'A NOT_SHARED label must state its legal basis (basis: "...").' },
  DERIVED_FROM_NOT_SHARED: { status: 500, hint: 'The field is closed: remove the @requires on NOT_SHARED data, label the field NOT_SHARED, or acknowledge the derivation in the overlay ("derivationAcknowledged": {"from": [...], "basis": "..."}).' },
  AUDIT_CHAIN_BROKEN: { status: 500, hint: 'An audit record, archived segment, recipients row, decision or checkpoint does not match its chain or the signed checkpoints; restore the store and the archive from a backup, keep keys/checkpoints.jsonl as evidence, and investigate who wrote to the store.' },
  COMPOSITION_FAILED: { status: 500, hint: 'Fix the named subgraph at the named schema coordinate, then compose again.' },
  CONFIG_INVALID: { status: 500, hint: 'Fix the named setting; see the README for every setting and its default.' },
  STATE_DIR_LOCKED: { status: 500, hint: 'Another instance uses this state directory (grants, audit trail): stop it, or set JG_STATE_DIR to another directory. A killed instance\'s lock expires within 15 s.' },
  RATE_LIMITED: { status: 429, hint: 'Your app sent more requests (per minute, or at once) than its fair-use limit; wait for Retry-After seconds, or ask the operator for a higher limit.' },
  SERVICE_UNAVAILABLE: { status: 503, hint: 'The gateway is over its memory or latency bound and sheds load; retry after the Retry-After seconds.' },
  NOT_READY: { status: 503, hint: 'The gateway cannot serve yet: a required store is down or no provider answers. Route requests to another instance; the operator reads which part is down from /ready with the admin token.' },
  INTERNAL_SERVER_ERROR: { status: 500, hint: 'An unexpected error; it has been logged. Retry, and report it if it persists.' },
} satisfies Record<string, ErrorSpec>);

export type ErrorCode = keyof typeof ERRORS;

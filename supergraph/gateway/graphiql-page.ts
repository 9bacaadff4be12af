// The GraphiQL page, for requesters against /graphql and for admin callers against
// /admin/graphql. Its script and styles are the console build's own (no CDN); the endpoint, the
// default headers and the query it opens with travel in data attributes, so the page needs no inline script.

export type GraphiqlKind = 'requester' | 'admin';

const DEFAULT_HEADERS: Record<GraphiqlKind, Record<string, string>> = {
  requester: { 'x-api-key': 'jg-demo-tax-inspection', 'x-jointgraph-purpose': 'tax-inspection/CASE-2026-0042' },
  admin: { authorization: 'Bearer jg-admin-operator' },
};

const escapeAttribute = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** `query`: what the editor opens with when this tab has no query of its own yet. */
export function graphiqlPage(endpoint: string, kind: GraphiqlKind, query?: string): string {
  const headers = JSON.stringify(DEFAULT_HEADERS[kind], null, 2);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>JointGraph GraphiQL${kind === 'admin' ? ' (admin)' : ''}</title>
<link rel="stylesheet" href="/console/assets/graphiql.css">
<style>body { margin: 0; height: 100vh; } #graphiql { height: 100vh; }</style>
<script type="module" src="/console/assets/graphiql.js"></script>
</head>
<body>
<div id="graphiql" data-endpoint="${escapeAttribute(endpoint)}" data-kind="${kind}" data-headers="${escapeAttribute(headers)}"${query === undefined ? '' : ` data-query="${escapeAttribute(query)}"`}>Loading GraphiQL…</div>
</body>
</html>
`;
}

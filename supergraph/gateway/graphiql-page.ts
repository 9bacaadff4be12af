// The GraphiQL page for requesters: the explorer talks to /graphql and lets the requester set
// the credential and purpose headers the gateway asks for.

const GRAPHIQL = 'https://unpkg.com/graphiql@3.8.3';
const REACT = 'https://unpkg.com/react@18.3.1/umd/react.production.min.js';
const REACT_DOM = 'https://unpkg.com/react-dom@18.3.1/umd/react-dom.production.min.js';

const DEFAULT_HEADERS = JSON.stringify({ 'x-api-key': 'jg-demo-tax-inspection', 'x-jointgraph-purpose': 'tax-inspection/CASE-2026-0042' }, null, 2);

export function graphiqlPage(endpoint: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>JointGraph GraphiQL</title>
<link rel="stylesheet" href="${GRAPHIQL}/graphiql.min.css">
<style>body { margin: 0; height: 100vh; } #graphiql { height: 100vh; }</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script crossorigin src="${REACT}"></script>
<script crossorigin src="${REACT_DOM}"></script>
<script crossorigin src="${GRAPHIQL}/graphiql.min.js"></script>
<script>
  const fetcher = GraphiQL.createFetcher({ url: ${JSON.stringify(endpoint)} });
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, { fetcher, defaultHeaders: ${JSON.stringify(DEFAULT_HEADERS)}, shouldPersistHeaders: true }),
  );
</script>
</body>
</html>
`;
}

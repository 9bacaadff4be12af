// GraphiQL from local assets, for /graphiql (requesters, against /graphql) and /admin/graphiql
// (against /admin/graphql). The page names the endpoint, its default headers and the query it
// opens with (fields every app may receive) in data attributes.

import { GraphiQL, type GraphiQLProps } from 'graphiql';
import 'graphiql/graphiql.css';
import { useEffect } from 'react';
import { createRoot } from 'react-dom/client';
import { DENIED_PLUGIN, noteDenials, useDenials } from './denied-fields.tsx';
import { signedIn } from './session.ts';

type Fetcher = GraphiQLProps['fetcher'];

const root = document.getElementById('graphiql')!;
const endpoint = root.dataset.endpoint ?? '/graphql';
const admin = root.dataset.kind === 'admin';

/** The console's credential when one is signed in (same origin, this tab), else the page's demo headers. */
function defaultHeaders(): string {
  const session = signedIn();
  if (session && admin && session.kind === 'token') return JSON.stringify({ authorization: `Bearer ${session.secret}` }, null, 2);
  // Single sign-on: the session cookie goes along by itself; the header is its CSRF token.
  if (session && admin && session.kind === 'sso') return JSON.stringify({ 'x-jointgraph-csrf': session.secret }, null, 2);
  if (session && !admin && session.kind === 'key') return JSON.stringify({ 'x-api-key': session.secret, 'x-jointgraph-purpose': session.purpose ?? '' }, null, 2);
  return root.dataset.headers ?? '{}';
}

const fetcher: Fetcher = async (params, options) => {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { accept: 'application/graphql-response+json, application/json', 'content-type': 'application/json', ...(options?.headers ?? {}) },
    body: JSON.stringify(params),
  });
  const result = await response.json();
  if (!admin) noteDenials(result);
  return result;
};

/**
 * GraphiQL's saved state (tabs, history) lives in this tab's session, like the credential: its
 * history keeps each run's headers, and a key must not outlast the tab in localStorage. The two
 * explorers share an origin; each keeps its state under its own prefix.
 */
const prefix = `jointgraph.${root.dataset.kind}.`;
const ownKeys = () => Object.keys(sessionStorage).filter((key) => key.startsWith(prefix));
const storage = {
  getItem: (key: string) => sessionStorage.getItem(prefix + key),
  setItem: (key: string, value: string) => sessionStorage.setItem(prefix + key, value),
  removeItem: (key: string) => sessionStorage.removeItem(prefix + key),
  clear: () => ownKeys().forEach((key) => sessionStorage.removeItem(key)),
  get length() {
    return ownKeys().length;
  },
};

const query = new URLSearchParams(location.search).get('query') ?? undefined;
const example = root.dataset.query;

/**
 * The requester's explorer opens the denied-fields pane when an answer denies a field. GraphiQL
 * lays its plugin pane out only when its sidebar button is pressed, so the button is pressed.
 */
function Explorer() {
  const denied = useDenials().length > 0;
  useEffect(() => {
    if (denied) document.querySelector<HTMLButtonElement>(`.graphiql-sidebar button[aria-label="Show ${DENIED_PLUGIN.title}"]`)?.click();
  }, [denied]);
  return (
    <GraphiQL
      fetcher={fetcher}
      defaultHeaders={defaultHeaders()}
      defaultEditorToolsVisibility="headers"
      shouldPersistHeaders={false}
      storage={storage}
      {...(admin ? {} : { plugins: [DENIED_PLUGIN] })}
      {...(query ? { query } : {})}
      {...(example ? { defaultQuery: example } : {})}
    />
  );
}

root.textContent = '';
createRoot(root).render(<Explorer />);

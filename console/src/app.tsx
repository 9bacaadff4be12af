// The console's shell: sign-in, the caller's role from `me`, and the pages that role sees.

import { useEffect, useState, type ReactNode } from 'react';
import { admin } from './admin-api.ts';
import { WORDS, type Language, type Words } from './i18n.ts';
import { pagesFor, type Caller, type PageId, type Role } from './pages/index.tsx';
import { endSingleSignOn, signedIn, signIn, signOut, singleSignOn, type Session } from './session.ts';
import { Choice, ErrorNote, Field, useWords, WordsContext } from './ui.tsx';

const LANGUAGE_KEY = 'jointgraph.console.language';

function roleOf(caller: Caller): Role {
  if (caller.kind === 'APP') return 'requester';
  return caller.party === 'operator' ? 'operator' : 'provider';
}

export function App() {
  const [language, setLanguage] = useState<Language>(() => (localStorage.getItem(LANGUAGE_KEY) === 'en' ? 'en' : 'zh-CN'));
  const [session, setSession] = useState<Session | null>(signedIn);
  const [caller, setCaller] = useState<Caller | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [ssoAvailable, setSsoAvailable] = useState(false);
  const w = WORDS[language];

  useEffect(() => {
    document.documentElement.lang = language;
    document.title = w.title;
    localStorage.setItem(LANGUAGE_KEY, language);
  }, [language, w]);

  // A browser back from the identity provider holds a session cookie: the console takes it up.
  useEffect(() => {
    if (session) return;
    singleSignOn().then(
      (found) => {
        setSsoAvailable(found.available);
        if (found.session) {
          signIn(found.session);
          setSession(found.session);
        }
      },
      () => setSsoAvailable(false),
    );
  }, []);

  useEffect(() => {
    setCaller(null);
    if (!session) return;
    admin<{ me: Caller }>('{ me { kind appId party id name roles } }').then(
      (data) => setCaller(data.me),
      (e: Error) => {
        signOut();
        setSession(null);
        setError(e.message);
      },
    );
  }, [session]);

  const leave = () => {
    signOut();
    setSession(null);
    if (session?.kind === 'sso') void endSingleSignOn(session).then((next) => window.location.assign(next));
  };
  const languageChoice = (
    <Choice label={w.language} name="language" value={language} onChange={(v) => setLanguage(v as Language)} options={[['zh-CN', '中文'], ['en', 'English']]} />
  );
  return (
    <WordsContext.Provider value={w}>
      <header className="top">
        <h1>{w.title}</h1>
        {languageChoice}
        {caller && (
          <p className="who">
            {w.signedInAs}: <strong data-testid="who">{whoOf(caller)}</strong>
            {caller.name ? ` (${caller.name})` : ''} · {roleName(w, roleOf(caller))}{' '}
            <button type="button" onClick={leave}>
              {w.signOut}
            </button>
          </p>
        )}
      </header>
      {!session ? (
        <SignIn
          error={error}
          sso={ssoAvailable}
          onSignIn={(s) => {
            setError(null);
            signIn(s);
            setSession(s);
          }}
        />
      ) : caller ? (
        <Pages caller={caller} />
      ) : (
        <p aria-busy="true">{w.loading}</p>
      )}
    </WordsContext.Provider>
  );
}

/** As the decision trail names callers: app:ID, party/id, or the party alone for its own service account. */
function whoOf(caller: Caller): string {
  if (caller.kind === 'APP') return `app:${caller.appId}`;
  return caller.id && caller.id !== caller.party ? `${caller.party}/${caller.id}` : (caller.party ?? '');
}

function roleName(w: Words, role: Role): string {
  return role === 'requester' ? w.roleRequester : role === 'provider' ? w.roleProvider : w.roleOperator;
}

function SignIn({ onSignIn, error, sso }: { onSignIn: (session: Session) => void; error: string | null; sso: boolean }) {
  const w = useWords();
  const [kind, setKind] = useState<Session['kind']>('token');
  const [secret, setSecret] = useState('');
  const [purpose, setPurpose] = useState('');
  return (
    <main>
      {sso && (
        <section className="card signin" aria-labelledby="sso-title">
          <h2 id="sso-title">{w.signInTitle}</h2>
          <p>{w.signInSsoHelp}</p>
          <a className="button" href="/auth/sign-in">
            {w.signInSso}
          </a>
        </section>
      )}
      <form
        className="card signin"
        aria-labelledby="signin-title"
        onSubmit={(e) => {
          e.preventDefault();
          onSignIn({ kind, secret: secret.trim(), ...(kind === 'key' && purpose.trim() ? { purpose: purpose.trim() } : {}) });
        }}
      >
        <h2 id="signin-title">{sso ? w.signInWithToken : w.signInTitle}</h2>
        <p>{w.signInHelp}</p>
        <ErrorNote message={error} />
        <Choice label={w.credentialKind} name="kind" value={kind} onChange={(v) => setKind(v as Session['kind'])} options={[['token', w.adminToken], ['key', w.appKey]]} />
        <Field label={w.credential} name="secret" type="password" value={secret} onChange={setSecret} required />
        {kind === 'key' && <Field label={w.purpose} name="purpose" value={purpose} onChange={setPurpose} />}
        <button type="submit">{w.signIn}</button>
      </form>
    </main>
  );
}

function Pages({ caller }: { caller: Caller }) {
  const role = roleOf(caller);
  const pages = pagesFor(role);
  const fromHash = (): PageId => {
    const id = location.hash.slice(2) as PageId;
    return pages.some((p) => p.id === id) ? id : pages[0]!.id;
  };
  const [current, setCurrent] = useState<PageId>(fromHash);
  useEffect(() => {
    const follow = () => setCurrent(fromHash());
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  });
  const w = useWords();
  const page = pages.find((p) => p.id === current) ?? pages[0]!;
  const links: ReactNode[] = pages.map((p) => (
    <li key={p.id}>
      <a href={`#/${p.id}`} aria-current={p.id === page.id ? 'page' : undefined}>
        {w[p.title]}
      </a>
    </li>
  ));
  return (
    <div className="layout">
      <nav aria-label={w.title}>
        <ul>
          {links}
          <li>
            <a href={role === 'requester' ? '/graphiql' : '/admin/graphiql'}>{role === 'requester' ? w.navGraphiql : w.navAdminGraphiql}</a>
          </li>
        </ul>
      </nav>
      <main>
        <h2>{w[page.title]}</h2>
        {page.render(caller, role)}
      </main>
    </div>
  );
}


// The operator's apps and keys: register an app, issue, rotate and revoke keys. A new key is
// shown once, in the answer that issued it; the list shows key ids only.

import { useState } from 'react';
import { ErrorNote, Field, Status, Table, useAction, useAdmin, useWords, when } from '../ui.tsx';

interface RegisteredApp {
  id: string;
  name: string;
  department: string;
  roles: string[];
  keys: { keyId: string; live: boolean; notAfter: string | null }[];
}

const APPS = '{ apps { id name department roles keys { keyId live notAfter } } }';

export function AppsAndKeys() {
  const w = useWords();
  const loaded = useAdmin<{ apps: RegisteredApp[] }>(APPS);
  const [issued, setIssued] = useState<{ appId: string; keyId: string; key: string } | null>(null);
  const action = useAction(loaded.reload);
  const issue = async (verb: 'issueKey' | 'rotateKey', appId: string) => {
    const data = (await action.run(`mutation($a: String!) { ${verb}(appId: $a) { appId keyId key } }`, { a: appId })) as Record<string, { appId: string; keyId: string; key: string }> | null;
    setIssued(data?.[verb] ?? null);
  };
  return (
    <>
      <CreateApp onCreated={loaded.reload} />
      <ErrorNote message={action.error} />
      {issued && (
        <p role="status" className="card">
          {w.newKey} ({issued.appId}, {issued.keyId}): <code>{issued.key}</code>
        </p>
      )}
      <Status loaded={loaded}>
        {({ apps }) => (
          <Table
            caption={w.appsTitle}
            head={[w.appId, w.name, w.department, w.roles, w.keys, w.actions]}
            rows={apps.map((a) => [
              <code>{a.id}</code>,
              a.name,
              a.department,
              a.roles.join(', '),
              <ul className="plain">
                {a.keys.map((k) => (
                  <li key={k.keyId}>
                    <code>{k.keyId}</code> {k.live ? w.live : w.retired}
                    {k.notAfter ? ` (${when(k.notAfter)})` : ''}{' '}
                    {k.live && (
                      <button type="button" aria-label={`${w.revokeKey} ${a.id} ${k.keyId}`} onClick={() => action.run('mutation($a: String!, $k: String!) { revokeKey(appId: $a, keyId: $k) { keyId } }', { a: a.id, k: k.keyId })}>
                        {w.revokeKey}
                      </button>
                    )}
                  </li>
                ))}
              </ul>,
              <>
                <button type="button" aria-label={`${w.issueKey} ${a.id}`} onClick={() => issue('issueKey', a.id)}>
                  {w.issueKey}
                </button>{' '}
                <button type="button" aria-label={`${w.rotateKey} ${a.id}`} onClick={() => issue('rotateKey', a.id)}>
                  {w.rotateKey}
                </button>
              </>,
            ])}
          />
        )}
      </Status>
    </>
  );
}

function CreateApp({ onCreated }: { onCreated: () => void }) {
  const w = useWords();
  const [form, setForm] = useState({ id: '', name: '', department: '' });
  const set = (name: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [name]: value }));
  const action = useAction(() => {
    setForm({ id: '', name: '', department: '' });
    onCreated();
  });
  return (
    <form
      className="card filters"
      aria-label={w.createApp}
      onSubmit={(e) => {
        e.preventDefault();
        void action.run('mutation($input: AppInput!) { createApp(input: $input) { id } }', { input: { id: form.id, department: form.department, ...(form.name ? { name: form.name } : {}) } });
      }}
    >
      <Field label={w.appId} name="id" value={form.id} onChange={set('id')} required />
      <Field label={w.name} name="name" value={form.name} onChange={set('name')} />
      <Field label={w.department} name="department" value={form.department} onChange={set('department')} required />
      <button type="submit" disabled={action.busy}>
        {w.createApp}
      </button>
      <ErrorNote message={action.error} />
    </form>
  );
}

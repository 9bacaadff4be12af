// Small building blocks every page uses: the words of the chosen language, an admin query with
// its loading and error states, labelled inputs and plain tables.

import { createContext, useCallback, useContext, useEffect, useId, useState, type ReactNode } from 'react';
import { admin } from './admin-api.ts';
import type { Words } from './i18n.ts';

export const WordsContext = createContext<Words | null>(null);

export function useWords(): Words {
  return useContext(WordsContext)!;
}

export interface Loaded<T> {
  data: T | null;
  error: string | null;
  reload: () => void;
}

/** Runs an admin query (one without variables) now, and again on reload. */
export function useAdmin<T>(query: string): Loaded<T> {
  const [state, setState] = useState<{ data: T | null; error: string | null }>({ data: null, error: null });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let live = true;
    admin<T>(query).then(
      (data) => live && setState({ data, error: null }),
      (error: Error) => live && setState({ data: null, error: error.message }),
    );
    return () => {
      live = false;
    };
  }, [query, round]);
  return { ...state, reload: useCallback(() => setRound((r) => r + 1), []) };
}

/** Runs a mutation; reports its error in place and calls `then` after it succeeds. */
export function useAction(then: () => void): { run: (query: string, variables: Record<string, unknown>) => Promise<unknown>; error: string | null; busy: boolean } {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (query: string, variables: Record<string, unknown>) => {
    setBusy(true);
    setError(null);
    try {
      const data = await admin(query, variables);
      then();
      return data;
    } catch (e) {
      setError((e as Error).message);
      return null;
    } finally {
      setBusy(false);
    }
  };
  return { run, error, busy };
}

export function Status<T>({ loaded, children }: { loaded: Loaded<T>; children: (data: T) => ReactNode }) {
  const w = useWords();
  if (loaded.error) return <ErrorNote message={loaded.error} />;
  if (!loaded.data) return <p aria-busy="true">{w.loading}</p>;
  return <>{children(loaded.data)}</>;
}

export function ErrorNote({ message }: { message: string | null }) {
  const w = useWords();
  if (!message) return null;
  return (
    <p role="alert" className="error">
      {w.error}: {message}
    </p>
  );
}

export function Field(props: { label: string; value: string; onChange: (v: string) => void; type?: string; required?: boolean; name?: string; textarea?: boolean }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      {props.textarea ? (
        <textarea id={id} name={props.name} value={props.value} required={props.required} onChange={(e) => props.onChange(e.target.value)} />
      ) : (
        <input id={id} name={props.name} type={props.type ?? 'text'} value={props.value} required={props.required} onChange={(e) => props.onChange(e.target.value)} />
      )}
    </div>
  );
}

export function Choice(props: { label: string; value: string; onChange: (v: string) => void; options: [string, string][]; name?: string }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <select id={id} name={props.name} value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        {props.options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

export function Table({ caption, head, rows }: { caption: string; head: string[]; rows: ReactNode[][] }) {
  const w = useWords();
  return (
    <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          {head.map((h) => (
            <th key={h} scope="col">
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 ? (
          <tr>
            <td colSpan={head.length}>{w.none}</td>
          </tr>
        ) : (
          rows.map((cells, i) => (
            <tr key={i}>
              {cells.map((c, j) => (
                <td key={j}>{c}</td>
              ))}
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
}

/** A horizontal bar for a share between 0 and 1, with its number for screen readers and the eye. */
export function Bar({ share, label }: { share: number | null | undefined; label: string }) {
  if (share === null || share === undefined) return <span>—</span>;
  const percent = Math.round(share * 1000) / 10;
  return (
    <span className="bar" role="img" aria-label={`${label}: ${percent}%`}>
      <span className="bar-fill" style={{ width: `${Math.min(100, percent)}%` }} />
      <span className="bar-text">{percent}%</span>
    </span>
  );
}

export const when = (iso: string | null | undefined) => (iso ? iso.replace('T', ' ').slice(0, 16) : '—');

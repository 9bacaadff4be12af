// Published subgraph versions: the operator approves a PENDING one or rolls back to an earlier
// one; a publishing provider follows its own. Publishing itself stays with the CLI and CI.

import type { Role } from './index.tsx';
import { ErrorNote, Status, Table, useAction, useAdmin, useWords, when } from '../ui.tsx';

interface SubgraphVersion {
  subgraph: string;
  version: number;
  publishedBy: string;
  publishedAt: string;
  status: string;
}

export function Publications({ role }: { role: Role }) {
  const w = useWords();
  const loaded = useAdmin<{ subgraphVersions: SubgraphVersion[] }>('{ subgraphVersions { subgraph version publishedBy publishedAt status } }');
  const action = useAction(loaded.reload);
  const act = (verb: 'approvePublication' | 'rollbackSubgraph', v: SubgraphVersion) =>
    action.run(`mutation($s: String!, $v: Int!) { ${verb}(subgraph: $s, version: $v) { version { version status } } }`, { s: v.subgraph, v: v.version });
  return (
    <>
      <ErrorNote message={action.error} />
      <Status loaded={loaded}>
        {({ subgraphVersions }) => (
          <Table
            caption={w.publicationsTitle}
            head={[w.subgraph, w.version, w.status, w.publishedBy, w.publishedAt, ...(role === 'operator' ? [w.actions] : [])]}
            rows={[...subgraphVersions]
              .sort((a, b) => Number(b.status === 'PENDING') - Number(a.status === 'PENDING'))
              .map((v) => [
                v.subgraph,
                v.version,
                <span className={`tag tag-${v.status.toLowerCase()}`}>{v.status}</span>,
                v.publishedBy,
                when(v.publishedAt),
                ...(role === 'operator'
                  ? [
                      v.status === 'PENDING' ? (
                        <button type="button" onClick={() => act('approvePublication', v)} aria-label={`${w.approvePublication} ${v.subgraph} v${v.version}`}>
                          {w.approvePublication}
                        </button>
                      ) : v.status === 'SUPERSEDED' ? (
                        <button type="button" onClick={() => act('rollbackSubgraph', v)} aria-label={`${w.rollback} ${v.subgraph} v${v.version}`}>
                          {w.rollback}
                        </button>
                      ) : (
                        '—'
                      ),
                    ]
                  : []),
              ])}
          />
        )}
      </Status>
    </>
  );
}

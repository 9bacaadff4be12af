// An app's own access records: what it asked for, when, under which purpose and request id, and
// what it was refused. The endpoint holds an app to its own records whatever it asks.

import { RecordSearch } from './access-records.tsx';
import { useWords } from '../ui.tsx';

export function MyRecords() {
  const w = useWords();
  return (
    <>
      <p className="note">{w.myRecordsHelp}</p>
      <RecordSearch title={w.navMyRecords} shown={['requestId', 'purpose', 'coordinate', 'from', 'to']} own />
    </>
  );
}

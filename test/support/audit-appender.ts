// Appends access records as one replica, as fast as it can (64 in flight), and prints each seq the
// moment its append resolved, i.e. once its record is committed: the kill -9 test reads what it
// printed. Usage: node --import tsx test/support/audit-appender.ts <connection string> <schema> <replica id>

import { pathToFileURL } from 'node:url';
import { openPostgresAuditTrail, type AccessRecord } from '../../supergraph/audit/index.ts';

/** A tax inspector's request as the gateway records it. */
export const accessRecord = (i: number): AccessRecord => ({
  at: new Date().toISOString(), appId: 'tax-inspection', department: 'tax', purpose: `tax-inspection/CASE-${i}`, operationHash: null,
  returned: ['Enterprise.name', 'Enterprise.taxCreditRating', 'Query.enterprise'], denied: ['Enterprise.taxArrears'], providers: ['enterprise', 'tax'],
  entities: 1, outcome: 'PARTIAL', status: 200,
});

if (import.meta.url === pathToFileURL(process.argv[1]!).href) {
  const [connectionString, schema, replicaId] = process.argv.slice(2);
  const trail = openPostgresAuditTrail({ connectionString: connectionString!, schema: schema!, replicaId: replicaId!, maxConnections: 2 });
  let i = 0;
  const appender = async () => {
    for (;;) {
      const stored = await trail.append(accessRecord(i++));
      // Synchronous on a pipe (Linux): the line has left the process before the next append starts.
      process.stdout.write(`${stored.seq}\n`);
    }
  };
  for (let n = 0; n < 64; n++) void appender();
}

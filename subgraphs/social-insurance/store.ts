// Social insurance accounts. Employers are stored by credit code only: their details
// live with Market Regulation.

import type { StoreSpec } from '../kit/index.ts';
import { enterprise, insuranceRecords, residentIdentity } from '../synthetic/index.ts';

export const socialInsuranceStore: StoreSpec = {
  version: 1,
  ddl: `
    CREATE TABLE insurance_record (
      person_id TEXT NOT NULL,
      kind TEXT NOT NULL,
      employer_code TEXT,
      months_paid INTEGER NOT NULL,
      monthly_base REAL NOT NULL,
      since TEXT NOT NULL,
      PRIMARY KEY (person_id, kind)
    ) WITHOUT ROWID;
    CREATE INDEX insurance_by_employer ON insurance_record (employer_code, person_id);
  `,
  seed(db, city) {
    const employerCodes = Array.from({ length: city.enterprises }, (_, j) => enterprise(city, j).creditCode);
    const insert = db.prepare('INSERT INTO insurance_record VALUES (?, ?, ?, ?, ?, ?)');
    for (let i = 0; i < city.persons; i++) {
      const records = insuranceRecords(city, i);
      if (records.length === 0) continue;
      const personId = residentIdentity(city.seed, i).id;
      for (const r of records) {
        const employer = r.employerIndex === null ? null : employerCodes[r.employerIndex];
        insert.run(personId, r.kind, employer, r.monthsPaid, r.monthlyBase, r.since);
      }
    }
  },
};

// Civil Affairs records: the marriage register and subsistence allowances.

import type { StoreSpec } from '../kit/index.ts';
import { civilRecord, residentIdentity } from '../synthetic/index.ts';

export const civilAffairsStore: StoreSpec = {
  version: 1,
  ddl: `
    CREATE TABLE marital_status (
      person_id TEXT PRIMARY KEY,
      status TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE subsistence_allowance (
      person_id TEXT NOT NULL,
      start_date TEXT NOT NULL,
      end_date TEXT,
      monthly_amount REAL NOT NULL,
      PRIMARY KEY (person_id, start_date)
    ) WITHOUT ROWID;
  `,
  seed(db, city) {
    const marital = db.prepare('INSERT INTO marital_status VALUES (?, ?)');
    const allowance = db.prepare('INSERT INTO subsistence_allowance VALUES (?, ?, ?, ?)');
    for (let i = 0; i < city.persons; i++) {
      const id = residentIdentity(city.seed, i).id;
      const record = civilRecord(city, i);
      marital.run(id, record.maritalStatus);
      for (const a of record.allowances) allowance.run(id, a.startDate, a.endDate, a.monthlyAmount);
    }
  },
};

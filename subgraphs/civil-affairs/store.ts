// Civil Affairs records: the marriage register and subsistence allowances, each resident's file
// kept by the district office of the resident's registration (its jurisdiction, for row scope).

import type { StoreSpec } from '../kit/index.ts';
import { civilRecord, residentIdentity } from '../synthetic/index.ts';

export const civilAffairsStore: StoreSpec = {
  version: 2,
  ddl: `
    CREATE TABLE resident_file (
      person_id TEXT PRIMARY KEY,
      district TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE marital_status (
      person_id TEXT PRIMARY KEY REFERENCES resident_file (person_id),
      status TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE subsistence_allowance (
      person_id TEXT NOT NULL REFERENCES resident_file (person_id),
      start_date TEXT NOT NULL,
      end_date TEXT,
      monthly_amount REAL NOT NULL,
      PRIMARY KEY (person_id, start_date)
    ) WITHOUT ROWID;
  `,
  seed(db, city) {
    const file = db.prepare('INSERT INTO resident_file VALUES (?, ?)');
    const marital = db.prepare('INSERT INTO marital_status VALUES (?, ?)');
    const allowance = db.prepare('INSERT INTO subsistence_allowance VALUES (?, ?, ?, ?)');
    for (let i = 0; i < city.persons; i++) {
      const { id, district } = residentIdentity(city.seed, i);
      const record = civilRecord(city, i);
      file.run(id, district);
      marital.run(id, record.maritalStatus);
      for (const a of record.allowances) allowance.run(id, a.startDate, a.endDate, a.monthlyAmount);
    }
  },
};

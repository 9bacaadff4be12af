// The household register: one row per resident, keyed by identity number.

import type { StoreSpec } from '../kit/index.ts';
import { resident } from '../synthetic/index.ts';

export const populationStore: StoreSpec = {
  version: 1,
  ddl: `
    CREATE TABLE person (
      id TEXT PRIMARY KEY,
      seq INTEGER NOT NULL UNIQUE,
      name TEXT NOT NULL,
      gender TEXT NOT NULL,
      birth_date TEXT NOT NULL,
      ethnicity TEXT NOT NULL,
      household_address TEXT NOT NULL,
      district TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX person_by_district ON person (district, seq);
  `,
  seed(db, city) {
    const insert = db.prepare('INSERT INTO person VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    for (let i = 0; i < city.persons; i++) {
      const r = resident(city.seed, i);
      insert.run(r.id, i, r.name, r.gender, r.birthDate, r.ethnicity, r.householdAddress, r.district);
    }
  },
};

export const PERSON_COLUMNS =
  'id, name, gender, birth_date AS birthDate, ethnicity, household_address AS householdAddress, district';

// Taxpayer records of the Taxation Bureau, keyed by the taxpayer's unified social credit code,
// each kept by the tax office of the district where the taxpayer registered (its jurisdiction).

import type { StoreSpec } from '../kit/index.ts';
import { enterprise, taxProfile } from '../synthetic/index.ts';

export const taxStore: StoreSpec = {
  version: 3,
  ddl: `
    CREATE TABLE taxpayer (
      credit_code TEXT PRIMARY KEY,
      tax_office_district TEXT NOT NULL,
      credit_rating TEXT NOT NULL,
      rated_on TEXT NOT NULL,
      arrears REAL NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE annual_tax (
      credit_code TEXT NOT NULL REFERENCES taxpayer (credit_code),
      year INTEGER NOT NULL,
      amount REAL NOT NULL,
      PRIMARY KEY (credit_code, year)
    ) WITHOUT ROWID;
  `,
  seed(db, city) {
    const taxpayer = db.prepare('INSERT INTO taxpayer VALUES (?, ?, ?, ?, ?)');
    const annual = db.prepare('INSERT INTO annual_tax VALUES (?, ?, ?)');
    for (let j = 0; j < city.enterprises; j++) {
      const { creditCode, district } = enterprise(city, j);
      const profile = taxProfile(city, j);
      taxpayer.run(creditCode, district, profile.rating, profile.ratedOn, profile.arrears);
      for (const { year, amount } of profile.annual) annual.run(creditCode, year, amount);
    }
  },
};

// The market-entity register. Legal representatives are stored by identity number only:
// their details live with the Public Security Bureau.

import type { StoreSpec } from '../kit/index.ts';
import { enterprise, residentIdentity } from '../synthetic/index.ts';

export const enterpriseStore: StoreSpec = {
  version: 2,
  ddl: `
    CREATE TABLE enterprise (
      credit_code TEXT PRIMARY KEY,
      seq INTEGER NOT NULL UNIQUE,
      name TEXT NOT NULL,
      type TEXT NOT NULL,
      registered_capital REAL NOT NULL,
      established_on TEXT NOT NULL,
      status TEXT NOT NULL,
      business_scope TEXT NOT NULL,
      district TEXT NOT NULL,
      legal_representative_id TEXT NOT NULL,
      risk_class INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX enterprise_by_representative ON enterprise (legal_representative_id);
    CREATE INDEX enterprise_by_district ON enterprise (district, seq);
  `,
  seed(db, city) {
    const insert = db.prepare('INSERT INTO enterprise VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    for (let j = 0; j < city.enterprises; j++) {
      const e = enterprise(city, j);
      const representative = residentIdentity(city.seed, e.legalRepresentativeIndex).id;
      insert.run(e.creditCode, j, e.name, e.type, e.registeredCapital, e.establishedOn, e.status, e.businessScope, e.district, representative, e.riskClass);
    }
  },
};

export const ENTERPRISE_COLUMNS =
  'credit_code AS creditCode, name, type, registered_capital AS registeredCapital, established_on AS establishedOn, ' +
  'status, business_scope AS businessScope, district, legal_representative_id AS legalRepresentativeId, risk_class AS riskClass';

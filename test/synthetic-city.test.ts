import { describe, expect, it } from 'vitest';
import {
  civilRecord, enterprise, formatCreditCode, formatResidentId, insuranceRecords, isValidCreditCode, isValidResidentId,
  resident, residentIdentity, taxProfile,
} from '../subgraphs/synthetic/index.ts';
import { SMALL_CITY } from './support/platform.ts';

describe('resident identity numbers (GB 11643)', () => {
  it('accepts published valid numbers and rejects a wrong check character', () => {
    expect(isValidResidentId('11010519491231002X')).toBe(true);
    expect(isValidResidentId('440524188001010014')).toBe(true);
    expect(isValidResidentId('110105194912310021')).toBe(false);
    expect(isValidResidentId('11010519491231002')).toBe(false);
  });

  it('computes the check character of a formatted number', () => {
    expect(formatResidentId('110105', '1949-12-31', 2)).toBe('11010519491231002X');
  });

  it('gives every resident a unique, valid number whose birth date and gender it encodes', () => {
    const ids = new Set<string>();
    for (let i = 0; i < SMALL_CITY.persons; i++) {
      const r = residentIdentity(SMALL_CITY.seed, i);
      expect(isValidResidentId(r.id)).toBe(true);
      expect(r.id.slice(6, 14)).toBe(r.birthDate.replaceAll('-', ''));
      expect(Number(r.id[16]) % 2 === 1).toBe(r.gender === 'MALE');
      ids.add(r.id);
    }
    expect(ids.size).toBe(SMALL_CITY.persons);
  });
});

describe('unified social credit codes (GB 32100)', () => {
  it('accepts a published valid code and rejects a wrong check character', () => {
    expect(isValidCreditCode('91350100M000100Y43')).toBe(true);
    expect(isValidCreditCode('91350100M000100Y44')).toBe(false);
    expect(isValidCreditCode('91350100M000100Y4')).toBe(false);
  });

  it('formats codes whose organisation code and overall check both hold', () => {
    expect(isValidCreditCode(formatCreditCode('1', '660102', '12345678'))).toBe(true);
  });

  it('gives every enterprise a unique valid code', () => {
    const codes = new Set<string>();
    for (let j = 0; j < SMALL_CITY.enterprises; j++) codes.add(enterprise(SMALL_CITY, j).creditCode);
    expect(codes.size).toBe(SMALL_CITY.enterprises);
    for (const code of codes) expect(isValidCreditCode(code)).toBe(true);
  });
});

describe('the synthetic city', () => {
  it('is deterministic for a seed and different for another seed', () => {
    expect(resident(1, 42)).toEqual(resident(1, 42));
    expect(enterprise(SMALL_CITY, 9)).toEqual(enterprise(SMALL_CITY, 9));
    expect(resident(2, 42).id).not.toBe(resident(1, 42).id);
  });

  it('makes legal representatives residents who were adults when the enterprise was founded', () => {
    for (let j = 0; j < 200; j++) {
      const e = enterprise(SMALL_CITY, j);
      expect(e.legalRepresentativeIndex).toBeLessThan(SMALL_CITY.persons);
      const born = Number(residentIdentity(SMALL_CITY.seed, e.legalRepresentativeIndex).birthDate.slice(0, 4));
      expect(Number(e.establishedOn.slice(0, 4)) - born).toBeGreaterThanOrEqual(18);
    }
  });

  it('employs insured residents at enterprises that exist, and only adults', () => {
    let insured = 0;
    for (let i = 0; i < 1_000; i++) {
      const records = insuranceRecords(SMALL_CITY, i);
      if (records.length > 0) insured++;
      for (const r of records) if (r.employerIndex !== null) expect(r.employerIndex).toBeLessThan(SMALL_CITY.enterprises);
      if (Number(residentIdentity(SMALL_CITY.seed, i).birthDate.slice(0, 4)) > 2008) expect(records).toEqual([]);
    }
    expect(insured).toBeGreaterThan(300);
  });

  it('rates newly founded taxpayers M and keeps minors unmarried', () => {
    for (let j = 0; j < 300; j++) {
      if (enterprise(SMALL_CITY, j).establishedOn >= '2025') expect(taxProfile(SMALL_CITY, j).rating).toBe('M');
    }
    for (let i = 0; i < 500; i++) {
      if (residentIdentity(SMALL_CITY.seed, i).birthDate > '2007') expect(civilRecord(SMALL_CITY, i).maritalStatus).toBe('UNMARRIED');
    }
  });
});

// The synthetic city: each resident and enterprise is a pure function of (seed, index).
// Providers seed their own stores from these functions; cross-references (legal
// representatives, employers) therefore agree without any provider reading another's store.

import { formatCreditCode } from './credit-code.ts';
import { randomFor, seedOffset } from './random.ts';
import { formatResidentId } from './resident-id.ts';
import {
  BRANDS, CITY, COMMUNITIES, DISTRICTS, ENTERPRISE_TYPES, ETHNICITIES, GIVEN_FEMALE, GIVEN_MALE,
  INDUSTRIES, NAME_SUFFIX, STREETS, SURNAMES, type EnterpriseType,
} from './vocabulary.ts';

export interface CitySize {
  seed: number;
  persons: number;
  enterprises: number;
}

/** The world's "today": fixed, so that ages and statuses do not drift between runs. */
export const REFERENCE_DATE = '2026-01-01';
const REFERENCE_YEAR = 2026;
const FIRST_BIRTH_DAY = Date.UTC(1940, 0, 1) / 86_400_000;
const BIRTH_DAYS = Date.UTC(2025, 11, 31) / 86_400_000 - FIRST_BIRTH_DAY + 1;
const SEQUENCES = 499; // sequence numbers 001–998: an odd one and an even one per slot

// A bijection from person index to (district, birth day, sequence, gender): unique IDs, O(1) each.
const PERSON_SLOTS = DISTRICTS.length * BIRTH_DAYS * SEQUENCES * 2;
const ORG_SLOTS = 100_000_000;
const PERSON_STRIDE = goldenStride(PERSON_SLOTS);
const ORG_STRIDE = goldenStride(ORG_SLOTS);

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** A stride coprime with `slots` near its golden section, so consecutive indices land far apart. */
function goldenStride(slots: number): number {
  let stride = Math.floor(slots * 0.6180339887);
  while (gcd(slots, stride) !== 1) stride++;
  return stride;
}

function dayToDate(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

export type Gender = 'MALE' | 'FEMALE';

export interface Resident {
  id: string;
  name: string;
  gender: Gender;
  birthDate: string;
  ethnicity: string;
  householdAddress: string;
  district: string;
}

export function residentIdentity(seed: number, index: number): Pick<Resident, 'id' | 'gender' | 'birthDate' | 'district'> {
  let slot = (index * PERSON_STRIDE + seedOffset(seed, 'person-slot', PERSON_SLOTS)) % PERSON_SLOTS;
  const gender: Gender = slot % 2 === 0 ? 'MALE' : 'FEMALE';
  slot = Math.floor(slot / 2);
  const sequencePair = slot % SEQUENCES;
  slot = Math.floor(slot / SEQUENCES);
  const day = FIRST_BIRTH_DAY + (slot % BIRTH_DAYS);
  const district = DISTRICTS[Math.floor(slot / BIRTH_DAYS)] as (typeof DISTRICTS)[number];
  const birthDate = dayToDate(day);
  const sequence = sequencePair * 2 + (gender === 'MALE' ? 1 : 2);
  return { id: formatResidentId(district.code, birthDate, sequence), gender, birthDate, district: district.code };
}

export function resident(seed: number, index: number): Resident {
  const identity = residentIdentity(seed, index);
  const rnd = randomFor(seed, 'person', index);
  const given = identity.gender === 'MALE' ? GIVEN_MALE : GIVEN_FEMALE;
  const name = rnd.weighted(SURNAMES) + rnd.pick(given) + (rnd.chance(0.7) ? rnd.pick(given) : '');
  const districtName = DISTRICTS.find((d) => d.code === identity.district)?.name ?? '';
  const householdAddress =
    `${CITY.name}${districtName}${rnd.pick(STREETS)}${rnd.between(1, 399)}号` +
    `${rnd.pick(COMMUNITIES)}${rnd.between(1, 30)}栋${rnd.between(1, 6)}单元${rnd.between(1, 32)}0${rnd.between(1, 4)}室`;
  return { ...identity, name, ethnicity: rnd.weighted(ETHNICITIES), householdAddress };
}

export function ageOn(birthDate: string, year = REFERENCE_YEAR): number {
  return year - Number(birthDate.slice(0, 4));
}

export type EnterpriseStatus = 'ACTIVE' | 'REVOKED' | 'CANCELLED' | 'MOVED_OUT';

export interface Enterprise {
  creditCode: string;
  name: string;
  type: EnterpriseType;
  registeredCapital: number; // in ten-thousand yuan (万元), as registers state it
  establishedOn: string;
  status: EnterpriseStatus;
  businessScope: string;
  district: string;
  legalRepresentativeIndex: number;
  /** Market Regulation's internal credit-risk class, 1 (lowest risk) to 4. */
  riskClass: number;
}

const ENTITY_TYPE_DIGIT: Record<EnterpriseType, '1' | '2' | '3'> = {
  LIMITED_LIABILITY: '1', JOINT_STOCK: '1', SOLE_PROPRIETORSHIP: '1', PARTNERSHIP: '1',
  INDIVIDUAL_BUSINESS: '2', FARMERS_COOPERATIVE: '3',
};

export function enterprise(city: CitySize, index: number): Enterprise {
  const { seed } = city;
  const rnd = randomFor(seed, 'enterprise', index);
  const type = rnd.weighted(ENTERPRISE_TYPES);
  const district = rnd.pick(DISTRICTS);
  const orgBody = String((index * ORG_STRIDE + seedOffset(seed, 'org-slot', ORG_SLOTS)) % ORG_SLOTS).padStart(8, '0');
  const industry = rnd.pick(INDUSTRIES);
  const establishedYear = rnd.weighted([[rnd.between(1995, 2009), 2], [rnd.between(2010, 2025), 5]] as const);
  const establishedOn = `${establishedYear}-${String(rnd.between(1, 12)).padStart(2, '0')}-${String(rnd.between(1, 28)).padStart(2, '0')}`;
  const capitalScale = type === 'INDIVIDUAL_BUSINESS' ? 10 : type === 'JOINT_STOCK' ? 5000 : 500;
  return {
    creditCode: formatCreditCode(ENTITY_TYPE_DIGIT[type], district.code, orgBody),
    name: `${CITY.name}${rnd.pick(BRANDS)}${industry.word}${NAME_SUFFIX[type]}`,
    type,
    registeredCapital: Math.round(capitalScale * (0.2 + rnd.next() * 4)) || 1,
    establishedOn,
    status: rnd.weighted([['ACTIVE', 86], ['REVOKED', 4], ['CANCELLED', 8], ['MOVED_OUT', 2]] as const),
    businessScope: industry.scope,
    district: district.code,
    legalRepresentativeIndex: adultAt(city, rnd.int(city.persons), establishedYear),
    riskClass: rnd.weighted([[1, 40], [2, 35], [3, 18], [4, 7]] as const),
  };
}

/** The first resident at or after `start` (cyclically) who was at least 18 in `year`. */
function adultAt(city: CitySize, start: number, year: number): number {
  for (let step = 0; step < city.persons; step++) {
    const index = (start + step) % city.persons;
    if (ageOn(residentIdentity(city.seed, index).birthDate, year) >= 18) return index;
  }
  return start;
}

export type InsuranceKind = 'PENSION' | 'MEDICAL' | 'UNEMPLOYMENT';

export interface InsuranceRecord {
  kind: InsuranceKind;
  employerIndex: number | null;
  monthsPaid: number;
  monthlyBase: number; // yuan
  since: string;
}

/** Social insurance follows employment: working-age residents mostly have an employer. */
export function insuranceRecords(city: CitySize, index: number): InsuranceRecord[] {
  const { birthDate } = residentIdentity(city.seed, index);
  const age = ageOn(birthDate);
  if (age < 18) return [];
  const rnd = randomFor(city.seed, 'insurance', index);
  const retired = age > 60;
  if (!retired && !rnd.chance(0.72)) return [];
  const employerIndex = retired ? null : rnd.int(city.enterprises);
  const years = Math.min(age - 18, retired ? 40 : rnd.between(1, 30));
  const sinceYear = REFERENCE_YEAR - Math.max(years, 1);
  const since = `${sinceYear}-${String(rnd.between(1, 12)).padStart(2, '0')}-01`;
  const monthlyBase = Math.round(rnd.between(4_000, 25_000) / 10) * 10;
  const monthsPaid = Math.max(1, years * 12 - rnd.int(12));
  const kinds: InsuranceKind[] = ['PENSION', 'MEDICAL'];
  if (!retired && rnd.chance(0.9)) kinds.push('UNEMPLOYMENT');
  return kinds.map((kind) => ({ kind, employerIndex, monthsPaid, monthlyBase, since }));
}

export type TaxCreditRating = 'A' | 'B' | 'M' | 'C' | 'D';

export interface TaxProfile {
  rating: TaxCreditRating;
  /** Date of the evaluation that set the rating: the yearly evaluation, or registration for M. */
  ratedOn: string;
  annual: { year: number; amount: number }[];
  arrears: number;
}

export function taxProfile(city: CitySize, index: number): TaxProfile {
  const e = enterprise(city, index);
  const rnd = randomFor(city.seed, 'tax', index);
  const established = Number(e.establishedOn.slice(0, 4));
  const rating = established >= REFERENCE_YEAR - 1
    ? 'M' // newly established taxpayers are rated M
    : rnd.weighted([['A', 20], ['B', 45], ['M', 18], ['C', 11], ['D', 6]] as const);
  const annual = [];
  for (let year = Math.max(established, REFERENCE_YEAR - 5); year < REFERENCE_YEAR; year++) {
    annual.push({ year, amount: Math.round(e.registeredCapital * 10_000 * 0.01 * (0.3 + rnd.next() * 2)) });
  }
  const arrears = rating === 'C' || rating === 'D' ? Math.round(rnd.between(5_000, 800_000)) : rnd.chance(0.03) ? rnd.between(100, 20_000) : 0;
  const ratedOn = rating === 'M' && established >= REFERENCE_YEAR - 1 ? e.establishedOn : `${REFERENCE_YEAR - 1}-04-${String(rnd.between(10, 28)).padStart(2, '0')}`;
  return { rating, ratedOn, annual, arrears };
}

export type MaritalStatus = 'UNMARRIED' | 'MARRIED' | 'DIVORCED' | 'WIDOWED';

export interface SubsistenceAllowance {
  startDate: string;
  endDate: string | null;
  monthlyAmount: number;
}

export interface CivilRecord {
  maritalStatus: MaritalStatus;
  allowances: SubsistenceAllowance[];
}

export function civilRecord(city: CitySize, index: number): CivilRecord {
  const { birthDate, gender } = residentIdentity(city.seed, index);
  const age = ageOn(birthDate);
  const rnd = randomFor(city.seed, 'civil', index);
  const marriageAge = gender === 'MALE' ? 22 : 20;
  const maritalStatus: MaritalStatus = age < marriageAge
    ? 'UNMARRIED'
    : rnd.weighted([['MARRIED', 70], ['UNMARRIED', age < 35 ? 40 : 8], ['DIVORCED', 9], ['WIDOWED', age > 65 ? 25 : 2]] as const);
  const allowances: SubsistenceAllowance[] = [];
  if (rnd.chance(0.018)) {
    const startYear = rnd.between(2012, 2025);
    const ended = rnd.chance(0.4);
    const endYear = Math.min(startYear + rnd.between(1, 6), 2025);
    allowances.push({
      startDate: `${startYear}-${String(rnd.between(1, 12)).padStart(2, '0')}-01`,
      endDate: ended ? `${endYear}-12-31` : null,
      monthlyAmount: rnd.between(780, 1_150),
    });
  }
  return { maritalStatus, allowances };
}

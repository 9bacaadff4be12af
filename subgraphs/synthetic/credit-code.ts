// GB 32100-2015 unified social credit codes: registration authority, entity type, 6-digit
// area code, a 9-character GB 11714 organisation code (with its own check), and a MOD 31 check.

const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;

export function organizationCodeCheckChar(body8: string): string {
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += parseInt(body8[i] as string, 36) * (ORG_WEIGHTS[i] as number);
  const check = 11 - (sum % 11);
  return check === 10 ? 'X' : check === 11 ? '0' : String(check);
}

export function creditCodeCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CHARSET.indexOf(first17[i] as string) * (CODE_WEIGHTS[i] as number);
  return CHARSET[(31 - (sum % 31)) % 31] as string;
}

export function isValidCreditCode(code: string): boolean {
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(code)) return false;
  const org = code.slice(8, 17);
  return organizationCodeCheckChar(org.slice(0, 8)) === org[8] && creditCodeCheckChar(code.slice(0, 17)) === code[17];
}

/** `authority` 9 = market regulation; `entityType` 1 = enterprise, 2 = individual business, 3 = farmers' co-operative. */
export function formatCreditCode(entityType: '1' | '2' | '3', areaCode: string, orgBody8: string): string {
  const first17 = `9${entityType}${areaCode}${orgBody8}${organizationCodeCheckChar(orgBody8)}`;
  return first17 + creditCodeCheckChar(first17);
}

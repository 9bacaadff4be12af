export * from './city.ts';
export { isValidCreditCode, formatCreditCode } from './credit-code.ts';
export { isValidResidentId, formatResidentId } from './resident-id.ts';
export { DISTRICTS, CITY } from './vocabulary.ts';

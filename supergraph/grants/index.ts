// Which purposes a grant covers is decided with the purpose grammar, in identity.
export { statusOf, type Application, type ApplicationStatus, type PartyAnswer, type RowScope } from './application.ts';
export { createGrantService, GrantError, recordNamed, type ApplicationInput, type GrantErrorCode, type GrantService } from './grant-service.ts';
export { openGrantStore, type GrantStore } from './grant-store.ts';
export { requiredParties } from './required-parties.ts';
export { parseSelector, selectCoordinates, SelectorError } from './label-selector.ts';
export { addWorkingDays, OFFICIAL_CALENDAR, type WorkingCalendar } from './working-days.ts';
export { matchIdPrefix, MIN_ID_PREFIX, type IdMatch } from './id-prefix.ts';

export { demandStatus, leadTimes, type Demand, type DemandStatus, type DepartmentAnswer } from './demand.ts';
export { demandDecision } from './demand-decision.ts';
export { DemandError, type DemandErrorCode } from './demand-error.ts';
export { createDemandService, sdlCoordinates, type DemandEvent, type DemandInput, type DemandService } from './demand-service.ts';
export { openDemandStore, type DemandStore } from './demand-store.ts';

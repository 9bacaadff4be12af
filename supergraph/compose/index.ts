export { composeSupergraph, CompositionFailedError, formatProblem, type CompositionProblem, type CompositionResult } from './compose-supergraph.ts';
export { fetchServiceSdl, loadSubgraphSdl, SdlUnavailableError, type SdlHeaders, type SubgraphSdl } from './fetch-sdl.ts';

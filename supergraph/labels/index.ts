export { buildLabelCatalog, labelReport, type CatalogField, type LabelCatalog, type LabelReport, type LabelSource, type NotSharedSources } from './label-catalog.ts';
export { EMPTY_OVERLAY, parseLabelOverlay, readLabelOverlay, sameOverlay, type DerivationAcknowledgement, type LabelOverlay } from './label-overlay.ts';
export { liveCatalog, type LiveCatalog } from './live-catalog.ts';
export { openSharedOverlay, type LoadedOverlay, type SharedOverlay } from './shared-overlay.ts';

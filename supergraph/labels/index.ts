export { buildLabelCatalog, labelReport, type CatalogField, type LabelCatalog, type LabelReport, type LabelSource } from './label-catalog.ts';
export { EMPTY_OVERLAY, parseLabelOverlay, readLabelOverlay, type LabelOverlay } from './label-overlay.ts';

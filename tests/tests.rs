//! Cross-crate integration, golden and conformance tests. One binary, one module per area.

// Helpers shared by every area.
mod support;

// Conformance with COINr 1.1.14 (ASEM variants, ESI demo).
mod conformance_coinr;

// COINr's uncertainty and sensitivity analysis of the ASEM example.
mod conformance_sensitivity;

// Conformance with the UN EGDI and the World Bank GTMI.
mod conformance_indices;

// Indicator-file diagnostics.
mod validation;

// Evaluation semantics: points, blocks, missing values, levels, contributions.
mod evaluation;

// Data readers: CSV long and wide, JSON, Excel.
mod data;

// Periods: series in time order, comparisons, trends.
mod periods;

// Alerts, rule kind by rule kind, and the property that one is raised exactly when its rule holds.
mod alerts;

// Properties: ranges, monotonicity, order independence.
mod properties;

// The core's modules as a stack: no module uses one above it.
mod layers;

// The committed JSON Schema.
mod schema;

// The fuzz targets on their committed corpus and on every input that once failed.
mod fuzz_corpus;

// Hostile inputs: malformed, truncated, huge, wrong encoding, Vietnamese everywhere.
mod hostile;

// What the hostile-input review found (issue 16), in the engine.
mod review;

// Pages a Vietnamese official would accept (issue 18), in the engine: one refused value
// never blanks a ranking; messages as data in both languages; Vietnamese numbers.
mod pages;

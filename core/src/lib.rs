//! `dti-core`: the pure scoring engine of dti.
//!
//! It reads an indicator file (TOML, JSON, or a COINr iMeta table) and a data file
//! (CSV long or wide, JSON, Excel, or a COINr iData table), checks both with located
//! diagnostics, and evaluates: denominate, impute, screen, treat outliers, score,
//! aggregate, classify into maturity levels and rank. It never touches files, the
//! network, the clock or the terminal, so it gives bit-identical results natively and
//! in WebAssembly.
//!
//! ```
//! use dti_core::{load_data, load_framework, evaluate, EvaluateOptions};
//!
//! let framework_file = r#"
//! id = "tiny"
//! [[nodes]]
//! id = "index"
//! aggregate = "sum"
//! [[indicators]]
//! id = "online"
//! parent = "index"
//! type = "percent"
//! max_points = 10
//! scoring = { method = "bands", bands = [
//!     { to = 50, points = 0 }, { from = 50, to = 80, points = 5 }, { from = 80, points = 10 } ] }
//! "#;
//! let loaded = load_framework("tiny.toml", framework_file.as_bytes());
//! let framework = loaded.framework.expect("the example file is valid");
//! let data = load_data("data.csv", b"unit,online\nA,85\nB,60\n", &framework);
//! let dataset = data.dataset.expect("the example data is valid");
//! let evaluation = evaluate(&framework, &dataset, &EvaluateOptions::default())?;
//! assert_eq!(evaluation.root_score(0), Some(10.0));
//! assert_eq!(evaluation.rank, vec![Some(1), Some(2)]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod alerts;
pub mod assessment;
pub mod builtin;
pub mod data;
pub mod diag;
pub mod evaluation;
pub mod framework;
pub mod limits;
pub mod locale;
pub mod message;
pub mod period;
pub mod pipeline;
pub mod provenance;
pub mod robustness;
pub mod series;
pub mod stats;
pub mod table;
pub mod text;

pub use data::{Dataset, LoadedData, ReadOptions, Unit, load_data, load_data_with};
pub use diag::{Code, Diagnostic, Location, Severity};
pub use evaluation::Evaluation;
pub use framework::{Framework, LoadedFramework, load_framework};
pub use pipeline::{EvalError, EvaluateOptions, Overrides, evaluate, evaluate_shared};
pub use provenance::{ENGINE_VERSION, Provenance, sha256_hex};

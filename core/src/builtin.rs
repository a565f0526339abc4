//! The built-in indicator sets and sample data, embedded at compile time so the command
//! line and the browser work with no files at hand.

/// A built-in indicator set with its sample data.
#[derive(Debug, Clone, Copy)]
pub struct Builtin {
    /// Identifier, e.g. `vn-ministry`.
    pub id: &'static str,
    /// File name of the indicator file.
    pub file_name: &'static str,
    /// The indicator file (TOML).
    pub framework: &'static str,
    /// File name of the sample data.
    pub data_name: &'static str,
    /// Sample data (CSV), plainly synthetic.
    pub data: &'static str,
}

/// A built-in set from `indicators/ID.toml` and `indicators/samples/ID-sample.csv`.
macro_rules! builtin {
    ($id:literal) => {
        Builtin {
            id: $id,
            file_name: concat!($id, ".toml"),
            framework: include_str!(concat!("../../indicators/", $id, ".toml")),
            data_name: concat!($id, "-sample.csv"),
            data: include_str!(concat!("../../indicators/samples/", $id, "-sample.csv")),
        }
    };
}

/// Every built-in set; the first is the default.
pub const BUILTINS: &[Builtin] =
    &[builtin!("vn-ministry"), builtin!("vn-unit"), builtin!("desi"), builtin!("egdi"), builtin!("gtmi")];

/// Looks up a built-in set by id.
pub fn builtin(id: &str) -> Option<&'static Builtin> {
    BUILTINS.iter().find(|builtin| builtin.id == id)
}

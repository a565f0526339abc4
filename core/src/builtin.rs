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

/// Every built-in set; the first is the default.
pub const BUILTINS: &[Builtin] = &[
    Builtin {
        id: "vn-ministry",
        file_name: "vn-ministry.toml",
        framework: include_str!("../../indicators/vn-ministry.toml"),
        data_name: "vn-ministry-sample.csv",
        data: include_str!("../../indicators/samples/vn-ministry-sample.csv"),
    },
    Builtin {
        id: "vn-unit",
        file_name: "vn-unit.toml",
        framework: include_str!("../../indicators/vn-unit.toml"),
        data_name: "vn-unit-sample.csv",
        data: include_str!("../../indicators/samples/vn-unit-sample.csv"),
    },
    Builtin {
        id: "desi",
        file_name: "desi.toml",
        framework: include_str!("../../indicators/desi.toml"),
        data_name: "desi-sample.csv",
        data: include_str!("../../indicators/samples/desi-sample.csv"),
    },
    Builtin {
        id: "egdi",
        file_name: "egdi.toml",
        framework: include_str!("../../indicators/egdi.toml"),
        data_name: "egdi-sample.csv",
        data: include_str!("../../indicators/samples/egdi-sample.csv"),
    },
    Builtin {
        id: "gtmi",
        file_name: "gtmi.toml",
        framework: include_str!("../../indicators/gtmi.toml"),
        data_name: "gtmi-sample.csv",
        data: include_str!("../../indicators/samples/gtmi-sample.csv"),
    },
];

/// Looks up a built-in set by id.
pub fn builtin(id: &str) -> Option<&'static Builtin> {
    BUILTINS.iter().find(|builtin| builtin.id == id)
}

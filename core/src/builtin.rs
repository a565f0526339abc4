//! The built-in indicator sets and sample data, embedded at compile time so the command
//! line and the browser work with no files at hand. The samples are stored compressed
//! (`build.rs`), which keeps the web app small.

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
}

impl Builtin {
    /// The sample data (CSV text), plainly synthetic.
    ///
    /// The samples live in their own table, reached only from here, so that a build that
    /// never reads them (the web self-assessment page) carries none of their 58 KB.
    pub fn data(&self) -> String {
        let packed = SAMPLES.iter().find(|(id, _)| *id == self.id).map_or(&[][..], |(_, packed)| *packed);
        let bytes = miniz_oxide::inflate::decompress_to_vec(packed)
            .expect("the build script compressed this sample with miniz_oxide");
        String::from_utf8(bytes).expect("the sample data is UTF-8 (checked by the tests)")
    }
}

/// A built-in set from `indicators/ID.toml` and `indicators/samples/ID-sample.csv`.
macro_rules! builtin {
    ($id:literal) => {
        Builtin {
            id: $id,
            file_name: concat!($id, ".toml"),
            framework: include_str!(concat!("../../indicators/", $id, ".toml")),
            data_name: concat!($id, "-sample.csv"),
        }
    };
}

/// Each set's sample data, compressed by `build.rs`.
macro_rules! sample {
    ($id:literal) => {
        ($id, include_bytes!(concat!(env!("OUT_DIR"), "/", $id, "-sample.csv.deflate")).as_slice())
    };
}

/// Every built-in set; the first is the default.
pub static BUILTINS: &[Builtin] =
    &[builtin!("vn-ministry"), builtin!("vn-unit"), builtin!("desi"), builtin!("egdi"), builtin!("gtmi")];

/// The samples of [`BUILTINS`], by id.
static SAMPLES: &[(&str, &[u8])] =
    &[sample!("vn-ministry"), sample!("vn-unit"), sample!("desi"), sample!("egdi"), sample!("gtmi")];

/// Looks up a built-in set by id.
pub fn builtin(id: &str) -> Option<&'static Builtin> {
    BUILTINS.iter().find(|builtin| builtin.id == id)
}

#![allow(
    clippy::disallowed_methods,
    clippy::disallowed_macros,
    reason = "a build script reads files and talks to cargo"
)]
//! Compresses the built-in sample data (raw DEFLATE) into `OUT_DIR`, so the command line
//! and the browser embed them at a seventh of their size. See `src/builtin.rs`.

use std::path::Path;

const SAMPLES: [&str; 5] = ["vn-ministry", "vn-unit", "desi", "egdi", "gtmi"];

fn main() {
    let out_dir = std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR for build scripts");
    for id in SAMPLES {
        let source = format!("../indicators/samples/{id}-sample.csv");
        println!("cargo::rerun-if-changed={source}");
        let text = std::fs::read(&source).unwrap_or_else(|error| panic!("cannot read {source}: {error}"));
        let packed = miniz_oxide::deflate::compress_to_vec(&text, 9);
        let target = Path::new(&out_dir).join(format!("{id}-sample.csv.deflate"));
        std::fs::write(&target, packed).unwrap_or_else(|error| panic!("cannot write {}: {error}", target.display()));
    }
}

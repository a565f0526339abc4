//! What makes a published result reproducible: engine version and file digests.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The engine's version, recorded in every report.
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");

/// SHA-256 of bytes, as lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Engine version and the digests of the indicator file and the data.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    /// Engine version, e.g. `0.1.0`.
    pub engine_version: String,
    /// SHA-256 of the indicator file.
    pub framework_sha256: String,
    /// SHA-256 of the data file.
    pub data_sha256: String,
}

impl Provenance {
    /// Provenance for the given digests and this engine.
    pub fn new(framework_sha256: impl Into<String>, data_sha256: impl Into<String>) -> Self {
        Self {
            engine_version: ENGINE_VERSION.to_owned(),
            framework_sha256: framework_sha256.into(),
            data_sha256: data_sha256.into(),
        }
    }
}

/// A reader that computes the SHA-256 of everything read through it, so a large file is
/// hashed while it streams.
pub struct HashingReader<R> {
    inner: R,
    hasher: Sha256,
}

impl<R: std::io::Read> HashingReader<R> {
    /// Wraps a reader.
    pub fn new(inner: R) -> Self {
        Self { inner, hasher: Sha256::new() }
    }

    /// The digest of what was read so far, hex.
    pub fn sha256_hex(&self) -> String {
        self.hasher.clone().finalize().iter().map(|byte| format!("{byte:02x}")).collect()
    }
}

impl<R: std::io::Read> std::io::Read for HashingReader<R> {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let count = self.inner.read(buffer)?;
        self.hasher.update(&buffer[..count]);
        Ok(count)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn sha256_of_known_text() {
        assert_eq!(super::sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}

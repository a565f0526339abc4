//! Evidence files, stored content-addressed: a file's name is the SHA-256 of its bytes, so
//! a file is written once however often it is uploaded, never changes, and a backup copied
//! after the database misses nothing the database refers to. Behind a trait, so that object
//! storage can come later.

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// Where evidence files live.
pub trait EvidenceStore: Send + Sync + std::fmt::Debug {
    /// Stores `bytes`; returns their SHA-256 (hex).
    fn put(&self, bytes: &[u8]) -> std::io::Result<String>;
    /// The bytes stored under `sha256`.
    fn get(&self, sha256: &str) -> std::io::Result<Vec<u8>>;
}

/// Evidence in a folder: `evidence/ab/abcdef...`.
#[derive(Debug, Clone)]
pub struct FolderStore {
    root: PathBuf,
}

impl FolderStore {
    /// The store under `data_dir/evidence`.
    pub fn new(data_dir: &Path) -> FolderStore {
        FolderStore { root: data_dir.join("evidence") }
    }

    fn path(&self, sha256: &str) -> std::io::Result<PathBuf> {
        let valid =
            sha256.len() == 64 && sha256.bytes().all(|byte| byte.is_ascii_hexdigit() && !byte.is_ascii_uppercase());
        if !valid {
            return Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a SHA-256"));
        }
        Ok(self.root.join(&sha256[..2]).join(sha256))
    }
}

impl EvidenceStore for FolderStore {
    fn put(&self, bytes: &[u8]) -> std::io::Result<String> {
        let sha256 = hex::encode(Sha256::digest(bytes));
        let path = self.path(&sha256)?;
        if path.exists() {
            return Ok(sha256);
        }
        let folder = path.parent().unwrap_or(&self.root);
        std::fs::create_dir_all(folder)?;
        // Written beside, synced, then renamed: a file is there whole or not at all.
        let temporary = folder.join(format!(".{sha256}.{}", std::process::id()));
        {
            use std::io::Write;
            let mut file = std::fs::File::create(&temporary)?;
            file.write_all(bytes)?;
            file.sync_all()?;
        }
        std::fs::rename(&temporary, &path)?;
        Ok(sha256)
    }

    fn get(&self, sha256: &str) -> std::io::Result<Vec<u8>> {
        std::fs::read(self.path(sha256)?)
    }
}

/// The kinds of evidence file accepted, recognised by their content (never by the name or
/// the type the client claims).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A PDF document.
    Pdf,
    /// A PNG image.
    Png,
    /// A JPEG image.
    Jpeg,
    /// An Office Open XML or OpenDocument file (Word, Excel, ...): a ZIP archive.
    OfficeDocument,
    /// Plain UTF-8 text (CSV, TXT).
    Text,
}

impl Kind {
    /// The kind of `bytes`, when it is one accepted.
    pub fn sniff(bytes: &[u8]) -> Option<Kind> {
        if bytes.starts_with(b"%PDF-") {
            Some(Kind::Pdf)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Kind::Png)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Kind::Jpeg)
        } else if bytes.starts_with(b"PK\x03\x04") {
            Some(Kind::OfficeDocument)
        } else if !bytes.is_empty() && !bytes.contains(&0) && std::str::from_utf8(bytes).is_ok() {
            Some(Kind::Text)
        } else {
            None
        }
    }

    /// The media type it is served with.
    pub fn media_type(self) -> &'static str {
        match self {
            Kind::Pdf => "application/pdf",
            Kind::Png => "image/png",
            Kind::Jpeg => "image/jpeg",
            Kind::OfficeDocument => "application/octet-stream",
            Kind::Text => "text/plain; charset=utf-8",
        }
    }
}

/// A file name safe to give back in a download: the last path component, no control
/// characters or quotes, at most 200 characters.
pub fn safe_file_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String =
        last.chars().filter(|c| !c.is_control() && !matches!(c, '"' | ';' | '\\')).take(200).collect();
    if cleaned.trim().is_empty() || cleaned == "." || cleaned == ".." { "evidence".into() } else { cleaned }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_known_by_its_content() {
        assert_eq!(Kind::sniff(b"%PDF-1.7 ..."), Some(Kind::Pdf));
        assert_eq!(Kind::sniff(b"\x89PNG\r\n\x1a\n...."), Some(Kind::Png));
        assert_eq!(Kind::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(Kind::Jpeg));
        assert_eq!(Kind::sniff("đơn vị,giá trị\nM01,1\n".as_bytes()), Some(Kind::Text));
        assert_eq!(Kind::sniff(b"MZ\x90\x00\x03\x00"), None, "an executable");
        assert_eq!(Kind::sniff(b"<html>\x00</html>"), None);
        assert_eq!(Kind::sniff(b""), None);
    }

    #[test]
    fn a_file_name_cannot_escape_or_break_a_header() {
        assert_eq!(safe_file_name("../../etc/passwd"), "passwd");
        assert_eq!(safe_file_name("C:\\x\\báo cáo.pdf"), "báo cáo.pdf");
        assert_eq!(safe_file_name("a\"; filename=evil.exe"), "a filename=evil.exe");
        assert_eq!(safe_file_name(".."), "evidence");
    }

    #[test]
    fn the_same_bytes_are_stored_once() {
        let dir = tempfile::tempdir().unwrap();
        let store = FolderStore::new(dir.path());
        let first = store.put(b"%PDF-1.4 one").unwrap();
        assert_eq!(store.put(b"%PDF-1.4 one").unwrap(), first);
        assert_eq!(store.get(&first).unwrap(), b"%PDF-1.4 one");
        assert!(store.get("../../etc/passwd").is_err());
    }
}

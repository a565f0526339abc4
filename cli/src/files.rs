//! Reading inputs and writing outputs safely: no command writes over one of its own
//! inputs, and every output file is written whole or not at all.
//!
//! Every input file a command reads goes through [`remember_input`] (the readers in
//! `inputs` call it), and every output goes through [`write_atomic`] or [`write_with`],
//! which refuse a path that names one of those inputs, also through a link or `..`, and
//! write into a temporary file beside the target that is renamed over it only once it
//! is complete. It also walks folders without following links (`walk`), for the
//! publication and its verification.

use anyhow::{Context, Result, bail};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// One input file: the path as given and what identifies the file itself.
struct Input {
    path: PathBuf,
    identity: Option<Identity>,
}

/// What makes two paths the same file: the device and inode on Unix, the canonical path
/// elsewhere.
#[derive(PartialEq, Eq, Clone, Debug)]
enum Identity {
    #[cfg(unix)]
    Inode(u64, u64),
    #[cfg_attr(unix, allow(dead_code))]
    Canonical(PathBuf),
}

fn identity(path: &Path) -> Option<Identity> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path).ok().map(|metadata| Identity::Inode(metadata.dev(), metadata.ino()))
    }
    #[cfg(not(unix))]
    {
        std::fs::canonicalize(path).ok().map(Identity::Canonical)
    }
}

/// The inputs this process has read.
static INPUTS: Mutex<Vec<Input>> = Mutex::new(Vec::new());

/// Records that `path` is an input of this command: no output may be written over it.
pub fn remember_input(path: &Path) {
    let input = Input { path: path.to_path_buf(), identity: identity(path) };
    INPUTS.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(input);
}

/// Refuses an output path that names an input of this command.
pub fn refuse_input_as_output(out: &Path) -> Result<()> {
    let Some(out_identity) = identity(out) else { return Ok(()) };
    let inputs = INPUTS.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    // An input still at its path with that identity (a deleted input's number can be
    // given to a new file).
    let same_file = |input: &&Input| {
        input.identity.as_ref() == Some(&out_identity) && identity(&input.path).as_ref() == Some(&out_identity)
    };
    if let Some(input) = inputs.iter().find(same_file) {
        let same =
            if input.path == out { String::new() } else { format!(" (the same file as {})", input.path.display()) };
        bail!("{}{same} is one of this command's inputs: refusing to write over it; give another --out", out.display());
    }
    Ok(())
}

/// Where an output at `path` goes.
enum Destination {
    /// A regular file, new or replaced whole: the real path (through any link).
    File(PathBuf),
    /// A device or a pipe (`/dev/stdout`, a FIFO), written as it is: no rename can
    /// replace it, and a link to it must never be replaced by a file.
    Stream,
}

/// Where an output at `path` goes; refuses a folder and a link that leads nowhere.
fn destination(path: &Path) -> Result<Destination> {
    match std::fs::metadata(path) {
        Ok(metadata) if metadata.is_dir() => bail!("{} is a folder: give a file name", path.display()),
        Ok(metadata) if !metadata.is_file() => Ok(Destination::Stream),
        // An existing file, perhaps through links: the file itself is replaced.
        Ok(_) => match std::fs::canonicalize(path) {
            Ok(real) => Ok(Destination::File(real)),
            Err(_) => Ok(Destination::Stream),
        },
        Err(_) if std::fs::symlink_metadata(path).is_ok() => {
            bail!("{} is a link to nothing: give another --out", path.display())
        }
        Err(_) => Ok(Destination::File(path.to_path_buf())),
    }
}

/// Writes an output file whole or not at all: `fill` writes into a temporary file beside
/// `path`, which then replaces `path` in one rename. A failure (a full disk, an error in
/// `fill`) leaves `path` as it was. Refuses a path that names an input.
pub fn write_with(path: &Path, fill: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<()> {
    write_file_with(path, |file| {
        let mut buffered = std::io::BufWriter::with_capacity(1 << 16, file);
        fill(&mut buffered)?;
        buffered.flush().with_context(|| format!("cannot write {}", path.display()))
    })
}

/// [`write_with`] for a writer that needs the file itself (to seek in it, as a workbook
/// writer does).
pub fn write_file_with(path: &Path, fill: impl FnOnce(&mut std::fs::File) -> Result<()>) -> Result<()> {
    refuse_input_as_output(path)?;
    let target = match destination(path)? {
        Destination::File(target) => target,
        Destination::Stream => {
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .with_context(|| format!("cannot write {}", path.display()))?;
            return fill(&mut file);
        }
    };
    let parent = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let cannot = || format!("cannot write {}", path.display());
    let mut builder = tempfile::Builder::new();
    builder.prefix(".dti-").suffix(".partial");
    #[cfg(unix)]
    {
        // Like a file the command would create itself: readable by others unless the
        // umask says otherwise, or the permissions of the file it replaces.
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&target).map(|metadata| metadata.permissions().mode() & 0o7777).unwrap_or(0o666);
        builder.permissions(std::fs::Permissions::from_mode(mode));
    }
    let mut temporary = builder.tempfile_in(&parent).with_context(cannot)?;
    fill(temporary.as_file_mut())?;
    temporary.as_file().sync_all().with_context(cannot)?;
    temporary.persist(&target).map_err(|error| error.error).with_context(cannot)?;
    Ok(())
}

/// Writes `bytes` to an output file whole or not at all (see [`write_with`]).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_with(path, |sink| sink.write_all(bytes).map_err(anyhow::Error::from))
}

/// Whether `inner` is `outer` or lies inside it, comparing real paths (links and `..`
/// resolved; a path that does not exist yet is resolved through its nearest existing
/// ancestor).
pub fn is_within(inner: &Path, outer: &Path) -> bool {
    match (real_path(inner), real_path(outer)) {
        (Some(inner), Some(outer)) => inner.starts_with(outer),
        _ => false,
    }
}

/// The real, absolute path of `path`, which need not exist yet.
pub fn real_path(path: &Path) -> Option<PathBuf> {
    let absolute = if path.is_absolute() { path.to_path_buf() } else { std::env::current_dir().ok()?.join(path) };
    let mut missing = Vec::new();
    let mut existing = absolute.as_path();
    loop {
        if let Ok(real) = std::fs::canonicalize(existing) {
            let mut real = real;
            for part in missing.iter().rev() {
                real.push(part);
            }
            return Some(real);
        }
        missing.push(existing.file_name()?.to_os_string());
        existing = existing.parent()?;
    }
}

/// A relative path as the manifest writes it: `/` between its parts.
pub fn relative_text(path: &Path) -> String {
    path.components().map(|part| part.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// Calls `visit` with every entry under `root/relative` (the entry itself included),
/// never following a link.
pub fn walk(root: &Path, relative: &Path, visit: &mut dyn FnMut(&Path, &std::fs::Metadata)) -> Result<()> {
    let path = root.join(relative);
    let Ok(metadata) = std::fs::symlink_metadata(&path) else { return Ok(()) };
    if !relative.as_os_str().is_empty() {
        visit(relative, &metadata);
    }
    if metadata.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(&path)
            .with_context(|| format!("cannot read {}", path.display()))?
            .map(|entry| entry.map(|entry| entry.file_name()))
            .collect::<Result<_, _>>()
            .with_context(|| format!("cannot read {}", path.display()))?;
        entries.sort();
        for name in entries {
            walk(root, &relative.join(name), visit)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_leaves_the_file_as_it_was_and_no_partial_file() {
        let folder = tempfile::tempdir().expect("a temporary folder");
        let path = folder.path().join("out.csv");
        std::fs::write(&path, "old").expect("writes");
        let failed = write_with(&path, |sink| {
            sink.write_all(b"half of the new")?;
            bail!("the disk is full")
        });
        assert!(failed.is_err());
        assert_eq!(std::fs::read_to_string(&path).expect("reads"), "old");
        let names: Vec<_> =
            std::fs::read_dir(folder.path()).expect("lists").map(|e| e.expect("an entry").file_name()).collect();
        assert_eq!(names, [std::ffi::OsString::from("out.csv")]);
        write_atomic(&path, b"new").expect("writes");
        assert_eq!(std::fs::read_to_string(&path).expect("reads"), "new");
    }

    #[test]
    fn an_input_is_never_an_output_also_through_a_link_or_dot_dot() {
        let folder = tempfile::tempdir().expect("a temporary folder");
        let input = folder.path().join("data.csv");
        std::fs::write(&input, "unit\n").expect("writes");
        remember_input(&input);
        let through_dots = folder.path().join("sub/../data.csv");
        std::fs::create_dir(folder.path().join("sub")).expect("a folder");
        for out in [input.clone(), through_dots] {
            let refused = write_atomic(&out, b"x").expect_err("refused");
            assert!(refused.to_string().contains("is one of this command's inputs"), "{refused}");
        }
        #[cfg(unix)]
        {
            let link = folder.path().join("link.csv");
            std::os::unix::fs::symlink(&input, &link).expect("a link");
            let refused = write_atomic(&link, b"x").expect_err("refused");
            assert!(refused.to_string().contains("the same file as"), "{refused}");
        }
        assert_eq!(std::fs::read_to_string(&input).expect("reads"), "unit\n");
    }

    /// Regression: `--out /dev/stdout` with the output piped once replaced the link
    /// `/dev/stdout` itself with a file. A device, also through a link, is written as it
    /// is, and the link stays; a link to a file replaces the file, not the link.
    #[cfg(unix)]
    #[test]
    fn a_device_or_a_file_behind_a_link_is_written_and_the_link_stays() {
        let folder = tempfile::tempdir().expect("a temporary folder");
        let to_device = folder.path().join("null");
        std::os::unix::fs::symlink("/dev/null", &to_device).expect("a link");
        write_atomic(&to_device, b"nothing").expect("writes through the link");
        assert!(std::fs::symlink_metadata(&to_device).expect("there").file_type().is_symlink());
        assert_eq!(std::fs::read_link(&to_device).expect("a link"), Path::new("/dev/null"));
        let file = folder.path().join("real.csv");
        std::fs::write(&file, "old").expect("writes");
        let to_file = folder.path().join("link.csv");
        std::os::unix::fs::symlink(&file, &to_file).expect("a link");
        write_atomic(&to_file, b"new").expect("writes through the link");
        assert!(std::fs::symlink_metadata(&to_file).expect("there").file_type().is_symlink());
        assert_eq!(std::fs::read_to_string(&file).expect("reads"), "new");
        let dangling = folder.path().join("nowhere.csv");
        std::os::unix::fs::symlink(folder.path().join("missing/x.csv"), &dangling).expect("a link");
        let refused = write_atomic(&dangling, b"x").expect_err("refused");
        assert!(refused.to_string().contains("is a link to nothing"), "{refused}");
    }

    #[test]
    fn paths_within_a_folder_are_found_through_dots_and_paths_not_yet_made() {
        let folder = tempfile::tempdir().expect("a temporary folder");
        let root = folder.path();
        std::fs::create_dir(root.join("p")).expect("a folder");
        std::fs::create_dir(root.join("q")).expect("a folder");
        assert!(is_within(&root.join("p/new/x"), &root.join("p")));
        assert!(is_within(&root.join("q/../p"), &root.join("p")));
        assert!(!is_within(&root.join("pq"), &root.join("p")));
    }
}

//! `dti publish`: a complete static site of every period — the rankings, a page per unit,
//! the alerts and the methodology in Vietnamese and English (`dti-site`), each period's
//! evaluation as open data (CSV, JSON, xlsx), the source files with their digests, and
//! the web app. It works from any static host and offline: relative links only, no
//! script needed to read it.
//!
//! A publication is built whole in a folder beside its destination and swapped in at the
//! end: a failure (a full disk, an unreadable app file) leaves the previous publication
//! as it was, and a failed first publication leaves nothing behind. Files in the
//! previous publication that it did not write (its manifest lists every file it wrote,
//! with its SHA-256) are carried over into the new one, never deleted; links are never
//! followed when the old publication is cleared.

use crate::files::{relative_text, walk};
use crate::source::SourceArgs;
use anyhow::{Context, Result, bail};
use dti_core::period::Date;
use dti_site::{Lang, PageLanguage, Site};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Arguments of `dti publish`.
#[derive(clap::Parser)]
#[command(name = "publish")]
pub struct Args {
    #[command(flatten)]
    source: SourceArgs,
    /// The folder to write the site to; created if needed. A previous publication there
    /// is replaced whole at the end (files a person added to it are kept); any other
    /// non-empty folder is refused.
    #[arg(long)]
    out: PathBuf,
    /// The evaluation date (YYYY-MM-DD) for the alerts; today when absent.
    #[arg(long, value_parser = super::alerts::parse_date)]
    as_of: Option<Date>,
    /// The built web app to include in `app/` (the folder `cargo xtask dist` writes).
    #[arg(long)]
    app: Option<PathBuf>,
}

/// Threads rendering and writing (one more than the cores we count on: files being
/// written wait on the disk now and then).
const THREADS: usize = 3;
/// The open data files of each period.
const OPEN_DATA: [&str; 3] = ["csv", "json", "xlsx"];
/// The file that marks a folder as a publication (and lists what it holds).
const MANIFEST: &str = "data/manifest.json";
/// What a publication writes at its root (an older manifest lists no files: then these
/// are taken as written by it).
const WRITTEN: [&str; 10] =
    ["index.html", "alerts.html", "methodology.html", "periods", "units", "en", "data", "app", "site.css", "site.js"];

pub fn run(args: Args) -> Result<ExitCode> {
    let Some(source) = args.source.load()? else { return Ok(ExitCode::FAILURE) };
    let as_of = args.as_of.unwrap_or_else(super::alerts::today);
    let sources = args.source.files()?;
    let out = destination(&args.out)?;
    let app = args.app.as_deref().map(|app| check_app(app, &out)).transpose()?;
    let previous = Previous::read(&out)?;
    let staging = Staging::beside(&out)?;
    let framework = source.framework;
    let mut site = Site::evaluate(&framework, source.dataset, &source.framework_sha, &source.data_sha, Some(as_of))
        .context("evaluation failed")?;
    site.sources = vec![
        (sources.framework.0.clone(), source.framework_sha.clone()),
        (sources.data.0.clone(), source.data_sha.clone()),
    ];
    site.app = app.is_some();
    site.series.iter().for_each(crate::render::notes);

    let root = staging.path();
    let written = Written::new(root, previous.as_ref().map(|previous| previous.root.clone()));
    written.write("site.css", dti_site::STYLE.as_bytes())?;
    written.write("site.js", dti_site::SCRIPT.as_bytes())?;
    for ((name, file), sha) in [(&sources.framework, &source.framework_sha), (&sources.data, &source.data_sha)] {
        written.write(&format!("data/{name}"), &file.bytes_with_sha(sha)?)?;
    }
    let routes = site.routes();
    let open_data: Vec<(usize, &str)> =
        (0..site.series.len()).flat_map(|period| OPEN_DATA.map(|extension| (period, extension))).collect();
    let tasks = open_data.len() + site.plan_batches() + routes.len();
    let bar = crate::progress::steps(tasks, 16, "publishing");
    // One list of tasks, biggest first: each period's open data files, the unit pages'
    // improvement plans (a batch of units each), then the pages. Every thread takes the
    // next task when done with one.
    let next = AtomicUsize::new(0);
    let work = || -> Result<()> {
        loop {
            let task = next.fetch_add(1, Ordering::Relaxed);
            if let Some(&(period, extension)) = open_data.get(task) {
                let path = format!("data/{}.{extension}", site.period_slug(period));
                written.write(&path, &crate::output::open_data(&site.series[period], extension)?)?;
            } else if let Some(batch) = task.checked_sub(open_data.len()).filter(|&batch| batch < site.plan_batches()) {
                site.prepare_plans(batch);
            } else if let Some(route) = routes.get(task - open_data.len() - site.plan_batches()) {
                for lang in Lang::ALL {
                    let html = site.document(route, lang).context("a page did not render")?;
                    let path = Path::new(lang.root()).join(site.path(route));
                    written.write(&relative_text(&path), html.as_bytes())?;
                }
            } else {
                return Ok(());
            }
            bar.inc(1);
        }
    };
    std::thread::scope(|scope| -> Result<()> {
        let helpers: Vec<_> = (1..THREADS).map(|_| scope.spawn(work)).collect();
        work()?;
        for helper in helpers {
            helper.join().map_err(|_| anyhow::anyhow!("a publishing thread stopped unexpectedly"))??;
        }
        Ok(())
    })?;
    bar.finish_and_clear();
    if let Some(app) = &app {
        copy_folder(app, "app", &written)?;
    }
    let kept = match &previous {
        Some(previous) => previous.foreign_fitting(root)?,
        None => Vec::new(),
    };
    let files = written.into_digests();
    staging.write_manifest(&manifest(&site, &as_of, app.is_some(), &files)?)?;
    staging.swap_in(&out, &kept)?;

    let latest = site.latest();
    eprintln!(
        "{}: {} periods, {} units, {} pages, {} alerts ({}){}",
        args.out.display(),
        site.series.len(),
        latest.n_units(),
        routes.len() * Lang::ALL.len(),
        site.alerts.len(),
        latest.period,
        if app.is_some() { "" } else { "; without the web app (give --app, see `cargo xtask dist`)" }
    );
    if !kept.is_empty() {
        let names: Vec<String> = kept.iter().take(10).map(|path| relative_text(path)).collect();
        let more = if kept.len() > 10 { format!(" and {} more", kept.len() - 10) } else { String::new() };
        eprintln!("note: kept {} file(s) that dti publish did not write: {}{more}", kept.len(), names.join(", "));
    }
    Ok(ExitCode::SUCCESS)
}

/// What the site holds, for people and programs: digests, periods and every file.
fn manifest(site: &Site, as_of: &Date, app: bool, files: &BTreeMap<String, String>) -> Result<String> {
    let latest = site.latest();
    let periods: Vec<serde_json::Value> = site
        .series
        .iter()
        .enumerate()
        .map(|(index, evaluation)| {
            let slug = site.period_slug(index);
            serde_json::json!({
                "period": evaluation.period,
                "units": evaluation.n_units(),
                "files": OPEN_DATA.map(|extension| format!("{slug}.{extension}")),
            })
        })
        .collect();
    let sources: Vec<serde_json::Value> =
        site.sources.iter().map(|(name, sha)| serde_json::json!({ "file": name, "sha256": sha })).collect();
    let manifest = serde_json::json!({
        "format": "dti-publication/1",
        "engine_version": latest.provenance.engine_version,
        "indicator_set": { "id": latest.framework.id, "version": latest.framework.version },
        "framework_sha256": latest.provenance.framework_sha256,
        "data_sha256": latest.provenance.data_sha256,
        "sources": sources,
        "alerts_as_of": as_of.to_string(),
        "alerts": site.alerts.len(),
        "periods": periods,
        "languages": ["vi", "en"],
        "app": app,
        "files": files,
    });
    Ok(serde_json::to_string_pretty(&manifest)? + "\n")
}

/// The real path of the destination folder (a link to a folder is followed, so that the
/// folder it names is replaced, not the link); refuses a path that is not a folder.
fn destination(out: &Path) -> Result<PathBuf> {
    if out.exists() && !out.is_dir() {
        bail!("{} exists and is not a folder", out.display());
    }
    let real = crate::files::real_path(out).with_context(|| format!("cannot find where {} is", out.display()))?;
    if real.parent().is_none() {
        bail!("{} is the file system's root: give a folder for the publication", out.display());
    }
    Ok(real)
}

/// The previous publication in the destination folder.
struct Previous {
    root: PathBuf,
    /// The files it wrote, relative to its root.
    written: BTreeSet<String>,
}

impl Previous {
    /// `None` when the folder is new or empty; refuses a non-empty folder that holds no
    /// publication.
    fn read(out: &Path) -> Result<Option<Self>> {
        if !out.exists() {
            return Ok(None);
        }
        let empty = std::fs::read_dir(out).with_context(|| format!("cannot read {}", out.display()))?.next().is_none();
        if empty {
            return Ok(None);
        }
        let data = out.join("data");
        if std::fs::symlink_metadata(&data).is_ok_and(|metadata| metadata.file_type().is_symlink()) {
            bail!(
                "{} is a link to another folder, which dti publish did not write: nothing was changed; remove the link, or publish to another folder",
                data.display()
            );
        }
        let manifest_path = out.join(MANIFEST);
        let is_file = std::fs::symlink_metadata(&manifest_path).is_ok_and(|metadata| metadata.is_file());
        if !is_file {
            bail!(
                "{} is not empty and holds no publication ({MANIFEST} is missing): give an empty or new folder",
                out.display()
            );
        }
        let manifest: serde_json::Value =
            std::fs::read(&manifest_path).ok().and_then(|bytes| serde_json::from_slice(&bytes).ok()).with_context(
                || format!("{} is not a publication manifest: give an empty or new folder", manifest_path.display()),
            )?;
        let mut written: BTreeSet<String> = BTreeSet::from([MANIFEST.to_owned()]);
        match manifest["files"].as_object() {
            Some(files) => written.extend(files.keys().cloned()),
            // An older publication lists no files: what it writes at its root is its own
            // (links excepted: it never wrote one).
            None => {
                for name in WRITTEN {
                    walk(out, Path::new(name), &mut |relative, metadata| {
                        if metadata.is_file() {
                            written.insert(relative_text(relative));
                        }
                    })?;
                }
            }
        }
        Ok(Some(Self { root: out.to_path_buf(), written }))
    }

    /// The files and links in the previous publication that it did not write, which the
    /// new one keeps. Refuses when the new publication writes where one of them is.
    fn foreign_fitting(&self, new_root: &Path) -> Result<Vec<PathBuf>> {
        let mut foreign = Vec::new();
        walk(&self.root, Path::new(""), &mut |relative, metadata| {
            if !metadata.is_dir() && !self.written.contains(&relative_text(relative)) {
                foreign.push(relative.to_path_buf());
            }
        })?;
        let mut clashes = Vec::new();
        for relative in &foreign {
            // The new publication has something at its place, or a file where it needs a folder.
            let mut ancestors = relative.ancestors().filter(|path| !path.as_os_str().is_empty());
            let at_place = std::fs::symlink_metadata(new_root.join(relative)).is_ok();
            let file_above = ancestors
                .by_ref()
                .skip(1)
                .any(|above| std::fs::symlink_metadata(new_root.join(above)).is_ok_and(|metadata| !metadata.is_dir()));
            if at_place || file_above {
                clashes.push(relative_text(relative));
            }
        }
        if !clashes.is_empty() {
            let link = |name: &String| {
                std::fs::symlink_metadata(self.root.join(name)).is_ok_and(|metadata| metadata.file_type().is_symlink())
            };
            let described: Vec<String> = clashes
                .iter()
                .take(10)
                .map(|name| if link(name) { format!("{name} (a link)") } else { name.clone() })
                .collect();
            bail!(
                "{} holds {} entr{} that dti publish did not write where the new publication writes: {}; nothing was changed: move {} out of the folder, or publish to another folder",
                self.root.display(),
                clashes.len(),
                if clashes.len() == 1 { "y" } else { "ies" },
                described.join(", "),
                if clashes.len() == 1 { "it" } else { "them" }
            );
        }
        Ok(foreign)
    }
}

/// The folder a publication is built in, beside its destination; removed unless swapped in.
struct Staging(tempfile::TempDir);

impl Staging {
    fn beside(out: &Path) -> Result<Self> {
        let parent = out.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
        let name = out.file_name().map_or_else(|| "site".into(), |name| name.to_string_lossy().into_owned());
        let folder = tempfile::Builder::new()
            .prefix(&format!(".{name}.dti-new-"))
            .tempdir_in(parent)
            .with_context(|| {
                format!(
                    "cannot create a folder in {} to build the new publication beside {} (a publication is built beside the old one and swapped in whole): give write access to {0}, or publish to a folder whose parent you may write",
                    parent.display(),
                    out.display()
                )
            })?;
        Ok(Self(folder))
    }

    fn path(&self) -> &Path {
        self.0.path()
    }

    fn write_manifest(&self, text: &str) -> Result<()> {
        write(&self.path().join(MANIFEST), text.as_bytes())
    }

    /// Puts the new publication in place of the old one in two renames (the old one back
    /// if the second fails), moves the files a person added into it, then removes the old
    /// one without following its links.
    fn swap_in(self, out: &Path, kept: &[PathBuf]) -> Result<()> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            // A temporary folder is private; a publication is for everyone to read.
            std::fs::set_permissions(self.path(), std::fs::Permissions::from_mode(0o755))
                .with_context(|| format!("cannot set the permissions of {}", self.path().display()))?;
        }
        let staged = self.0.keep();
        let old = if out.exists() {
            let name = out.file_name().map_or_else(|| "site".into(), |name| name.to_string_lossy().into_owned());
            let parent = out.parent().unwrap_or(Path::new("."));
            let old = tempfile::Builder::new()
                .prefix(&format!(".{name}.dti-old-"))
                .tempdir_in(parent)
                .with_context(|| format!("cannot create a folder in {}", parent.display()))?
                .keep();
            std::fs::remove_dir(&old).with_context(|| format!("cannot use {}", old.display()))?;
            if let Err(error) = std::fs::rename(out, &old) {
                let _ = std::fs::remove_dir_all(&staged);
                return Err(error).with_context(|| format!("cannot move {} aside", out.display()));
            }
            Some(old)
        } else {
            None
        };
        if let Err(error) = std::fs::rename(&staged, out) {
            if let Some(old) = &old {
                let _ = std::fs::rename(old, out);
            }
            let _ = std::fs::remove_dir_all(&staged);
            return Err(error).with_context(|| format!("cannot put the new publication at {}", out.display()));
        }
        let Some(old) = old else { return Ok(()) };
        let mut stranded = Vec::new();
        for relative in kept {
            let to = out.join(relative);
            let moved = to
                .parent()
                .map_or(Ok(()), std::fs::create_dir_all)
                .and_then(|()| std::fs::rename(old.join(relative), &to));
            if moved.is_err() {
                stranded.push(relative_text(relative));
            }
        }
        if !stranded.is_empty() {
            bail!(
                "the new publication is in place, but {} file(s) a person added could not be moved into it ({}): they are still in {}",
                stranded.len(),
                stranded.join(", "),
                old.display()
            );
        }
        std::fs::remove_dir_all(&old)
            .with_context(|| format!("cannot remove the previous publication at {}", old.display()))
    }
}

/// The files this publication wrote, from every thread: their paths relative to the
/// publication's root and their SHA-256.
struct Written {
    root: PathBuf,
    /// The previous publication, whose unchanged files keep their times in the new one.
    previous: Option<PathBuf>,
    digests: Mutex<BTreeMap<String, String>>,
}

impl Written {
    fn new(root: &Path, previous: Option<PathBuf>) -> Self {
        Self { root: root.to_path_buf(), previous, digests: Mutex::default() }
    }

    /// Writes a file at `relative` (`/` between its parts) and records its digest.
    fn write(&self, relative: &str, bytes: &[u8]) -> Result<()> {
        let path = self.root.join(relative);
        write(&path, bytes)?;
        if let Some(previous) = &self.previous {
            keep_time_if_unchanged(&previous.join(relative), &path, bytes);
        }
        let digest = dti_core::provenance::sha256_hex(bytes);
        self.digests.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(relative.to_owned(), digest);
        Ok(())
    }

    fn into_digests(self) -> BTreeMap<String, String> {
        self.digests.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// A file republished with the same bytes keeps the previous one's modification time, for
/// caches and mirrors. Best effort: a failure leaves the new time.
fn keep_time_if_unchanged(previous: &Path, new: &Path, bytes: &[u8]) {
    let Ok(metadata) = std::fs::symlink_metadata(previous) else { return };
    if !metadata.is_file() || metadata.len() != bytes.len() as u64 {
        return;
    }
    if std::fs::read(previous).is_ok_and(|held| held == bytes)
        && let Ok(modified) = metadata.modified()
    {
        let _ = std::fs::File::options().write(true).open(new).and_then(|file| file.set_modified(modified));
    }
}

/// The web app folder, when it holds a built app and does not hold the publication.
fn check_app(app: &Path, out: &Path) -> Result<PathBuf> {
    let index = app.join("index.html");
    if !index.is_file() || !app.join("dti_web_bg.wasm").is_file() {
        bail!(
            "{} holds no built web app (index.html and dti_web_bg.wasm): build it with `cargo xtask dist`",
            app.display()
        );
    }
    if crate::files::is_within(out, app) {
        bail!(
            "the web app folder {} holds the publication's folder: give the folder `cargo xtask dist` writes (target/dist)",
            app.display()
        );
    }
    Ok(app.to_path_buf())
}

/// Copies the app folder's files into `to` (relative to the publication). A link to a file
/// is copied as the file; a link to a folder is refused (it could lead back into itself).
fn copy_folder(from: &Path, to: &str, written: &Written) -> Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(from)
        .with_context(|| format!("cannot read {}", from.display()))?
        .collect::<Result<_, _>>()
        .with_context(|| format!("cannot read {}", from.display()))?;
    entries.sort_by_key(std::fs::DirEntry::file_name);
    for entry in entries {
        let path = entry.path();
        let target = format!("{to}/{}", entry.file_name().to_string_lossy());
        let file_type = entry.file_type().with_context(|| format!("cannot read {}", path.display()))?;
        if file_type.is_dir() {
            copy_folder(&path, &target, written)?;
        } else if file_type.is_symlink() && path.is_dir() {
            bail!("{} is a link to a folder: the web app is copied without following such links", path.display());
        } else {
            let bytes = std::fs::read(&path).with_context(|| format!("cannot copy {}", path.display()))?;
            written.write(&target, &bytes)?;
        }
    }
    Ok(())
}

/// Writes `bytes` to a new file at `path`, making its folder.
fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(parent) = path.parent().filter(|parent| !parent.is_dir()) {
        std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
    }
    std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_republished_with_the_same_bytes_keeps_its_time_and_a_changed_one_does_not() {
        let folder = tempfile::tempdir().expect("a temporary folder");
        let (old, new) = (folder.path().join("old/index.html"), folder.path().join("new/index.html"));
        write(&old, b"<p>same</p>").expect("writes");
        let time = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000_000);
        std::fs::File::options().write(true).open(&old).and_then(|file| file.set_modified(time)).expect("dates it");
        write(&new, b"<p>same</p>").expect("writes");
        keep_time_if_unchanged(&old, &new, b"<p>same</p>");
        assert_eq!(std::fs::metadata(&new).and_then(|meta| meta.modified()).expect("a time"), time);
        write(&new, b"<p>new!</p>").expect("writes other bytes of the same length");
        keep_time_if_unchanged(&old, &new, b"<p>new!</p>");
        assert_ne!(std::fs::metadata(&new).and_then(|meta| meta.modified()).expect("a time"), time);
    }
}

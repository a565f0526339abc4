//! `dti publish`: a complete static site of every period — the rankings, a page per unit,
//! the alerts and the methodology in Vietnamese and English (`dti-site`), each period's
//! evaluation as open data (CSV, JSON, xlsx), the source files with their digests, and
//! the web app. It works from any static host and offline: relative links only, no
//! script needed to read it.

use crate::source::SourceArgs;
use anyhow::{Context, Result, bail};
use dti_core::period::Date;
use dti_site::{Lang, Site};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Arguments of `dti publish`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    source: SourceArgs,
    /// The folder to write the site to; created if needed. A previous publication there
    /// is replaced; any other non-empty folder is refused.
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
/// What a publication writes at its root; what is there and not written again is removed.
const WRITTEN: [&str; 10] =
    ["index.html", "alerts.html", "methodology.html", "periods", "units", "en", "data", "app", "site.css", "site.js"];

pub fn run(args: Args) -> Result<ExitCode> {
    let Some(source) = args.source.load()? else { return Ok(ExitCode::FAILURE) };
    let as_of = args.as_of.unwrap_or_else(super::alerts::today);
    let sources = args.source.files()?;
    let app = args.app.as_deref().map(check_app).transpose()?;
    let earlier = prepare(&args.out)?;
    let written = Written::default();
    let framework = source.framework;
    let mut site = Site::evaluate(&framework, source.dataset, &source.framework_sha, &source.data_sha, Some(as_of))
        .context("evaluation failed")?;
    site.sources = vec![
        (sources.framework.0.clone(), source.framework_sha.clone()),
        (sources.data.0.clone(), source.data_sha.clone()),
    ];
    site.app = app.is_some();

    let out = &args.out;
    std::fs::create_dir_all(out.join("data")).with_context(|| format!("cannot create {}", out.display()))?;
    written.write(&out.join("site.css"), dti_site::STYLE.as_bytes())?;
    written.write(&out.join("site.js"), dti_site::SCRIPT.as_bytes())?;
    for (name, file) in [&sources.framework, &sources.data] {
        let path = out.join("data").join(name);
        file.copy_to(&path)?;
        written.record(path);
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
                let path = out.join("data").join(site.period_slug(period)).with_extension(extension);
                written.write(&path, &crate::output::open_data(&site.series[period], extension)?)?;
            } else if let Some(batch) = task.checked_sub(open_data.len()).filter(|&batch| batch < site.plan_batches()) {
                site.prepare_plans(batch);
            } else if let Some(route) = routes.get(task - open_data.len() - site.plan_batches()) {
                for lang in Lang::ALL {
                    let html = site.document(route, lang).context("a page did not render")?;
                    written.write(&out.join(lang.root()).join(site.path(route)), html.as_bytes())?;
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
        copy_folder(app, &out.join("app"), &written)?;
    }
    written.write(&out.join(MANIFEST), manifest(&site, &as_of, app.is_some())?.as_bytes())?;
    written.remove_the_rest(earlier)?;

    let latest = site.latest();
    eprintln!(
        "{}: {} periods, {} units, {} pages, {} alerts ({}){}",
        out.display(),
        site.series.len(),
        latest.n_units(),
        routes.len() * Lang::ALL.len(),
        site.alerts.len(),
        latest.period,
        if app.is_some() { "" } else { "; without the web app (give --app, see `cargo xtask dist`)" }
    );
    Ok(ExitCode::SUCCESS)
}

/// What the site holds, for people and programs: digests, periods and files.
fn manifest(site: &Site, as_of: &Date, app: bool) -> Result<String> {
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
    });
    Ok(serde_json::to_string_pretty(&manifest)? + "\n")
}

/// Makes sure `out` may be written: new, empty, or a previous publication. Returns the
/// earlier publication's files: those not written again are removed at the end (so no page
/// of a unit gone since lingers), the others are overwritten in place, which is much
/// cheaper for the file system than removing and creating thousands of files.
fn prepare(out: &Path) -> Result<Vec<PathBuf>> {
    if !out.exists() {
        return Ok(Vec::new());
    }
    if !out.is_dir() {
        bail!("{} exists and is not a folder", out.display());
    }
    let empty = std::fs::read_dir(out).with_context(|| format!("cannot read {}", out.display()))?.next().is_none();
    if empty {
        return Ok(Vec::new());
    }
    if !out.join(MANIFEST).is_file() {
        bail!(
            "{} is not empty and holds no publication ({MANIFEST} is missing): give an empty or new folder",
            out.display()
        );
    }
    let mut files = Vec::new();
    for name in WRITTEN {
        list_files(&out.join(name), &mut files)?;
    }
    Ok(files)
}

/// Every file at or under `path`.
fn list_files(path: &Path, files: &mut Vec<PathBuf>) -> Result<()> {
    if path.is_dir() {
        for entry in std::fs::read_dir(path).with_context(|| format!("cannot read {}", path.display()))? {
            list_files(&entry?.path(), files)?;
        }
    } else if path.exists() {
        files.push(path.to_path_buf());
    }
    Ok(())
}

/// The files this publication wrote, from every thread.
#[derive(Default)]
struct Written(Mutex<HashSet<PathBuf>>);

impl Written {
    fn record(&self, path: PathBuf) {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(path);
    }

    fn write(&self, path: &Path, bytes: &[u8]) -> Result<()> {
        write(path, bytes)?;
        self.record(path.to_path_buf());
        Ok(())
    }

    /// Removes the earlier publication's files not written again, then folders left empty.
    fn remove_the_rest(self, earlier: Vec<PathBuf>) -> Result<()> {
        let written = self.0.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut folders = HashSet::new();
        for file in earlier.into_iter().filter(|file| !written.contains(file)) {
            std::fs::remove_file(&file).with_context(|| format!("cannot remove {}", file.display()))?;
            folders.extend(file.parent().map(Path::to_path_buf));
        }
        for folder in folders {
            // Only when empty: an error here means the folder still holds something.
            let _ = std::fs::remove_dir(&folder);
        }
        Ok(())
    }
}

/// The web app folder, when it holds a built app.
fn check_app(app: &Path) -> Result<PathBuf> {
    let index = app.join("index.html");
    if !index.is_file() || !app.join("dti_web_bg.wasm").is_file() {
        bail!(
            "{} holds no built web app (index.html and dti_web_bg.wasm): build it with `cargo xtask dist`",
            app.display()
        );
    }
    Ok(app.to_path_buf())
}

fn copy_folder(from: &Path, to: &Path, written: &Written) -> Result<()> {
    std::fs::create_dir_all(to).with_context(|| format!("cannot create {}", to.display()))?;
    for entry in std::fs::read_dir(from).with_context(|| format!("cannot read {}", from.display()))? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_folder(&entry.path(), &target, written)?;
        } else {
            std::fs::copy(entry.path(), &target)
                .with_context(|| format!("cannot copy {} to {}", entry.path().display(), target.display()))?;
            written.record(target);
        }
    }
    Ok(())
}

/// Writes `bytes` to `path`, leaving a file that already holds exactly them untouched (a
/// republication of the same data changes nothing, keeping the files' times for caches and
/// mirrors). A file with other contents is overwritten in place and then cut to length:
/// never truncated to empty first, which makes ext4 flush the file to disk on close and
/// costs more than the writing itself.
fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::{Read as _, Seek as _, Write as _};
    if let Some(parent) = path.parent().filter(|parent| !parent.is_dir()) {
        std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
    }
    let cannot = || format!("cannot write {}", path.display());
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .with_context(cannot)?;
    let length = bytes.len() as u64;
    let existing = file.metadata().with_context(cannot)?.len();
    if existing == length && length > 0 {
        let mut held = Vec::with_capacity(bytes.len());
        file.read_to_end(&mut held).with_context(cannot)?;
        if held == bytes {
            return Ok(());
        }
        file.rewind().with_context(cannot)?;
    }
    file.write_all(bytes).with_context(cannot)?;
    if existing > length {
        file.set_len(length).with_context(cannot)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_rewritten_in_place_and_cut_to_its_new_length() {
        let folder = tempfile::tempdir().expect("a temporary folder");
        let path = folder.path().join("pages/unit.html");
        write(&path, b"a longer first version").expect("writes into a new folder");
        write(&path, b"shorter").expect("rewrites");
        assert_eq!(std::fs::read(&path).expect("reads"), b"shorter");
        write(&path, b"").expect("empties");
        assert_eq!(std::fs::read(&path).expect("reads"), b"");
    }

    #[test]
    fn a_file_that_holds_the_same_bytes_is_left_untouched() {
        let folder = tempfile::tempdir().expect("a temporary folder");
        let path = folder.path().join("index.html");
        write(&path, b"<p>same</p>").expect("writes");
        let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000_000);
        std::fs::File::options().write(true).open(&path).and_then(|file| file.set_modified(old)).expect("dates it");
        write(&path, b"<p>same</p>").expect("writes again");
        assert_eq!(std::fs::metadata(&path).and_then(|meta| meta.modified()).expect("a time"), old);
        write(&path, b"<p>new!</p>").expect("writes other bytes of the same length");
        assert_eq!(std::fs::read(&path).expect("reads"), b"<p>new!</p>");
        assert_ne!(std::fs::metadata(&path).and_then(|meta| meta.modified()).expect("a time"), old);
    }
}

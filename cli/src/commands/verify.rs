//! `dti verify`: does a publication say what its sources give? Checks the SHA-256 of the
//! indicator file and the data kept in its `data/` folder against its manifest, the
//! SHA-256 of every other file it wrote (pages, workbooks, the app) against the digest its
//! manifest lists, evaluates every period again from the sources with this engine, and
//! compares each period's open data (CSV and JSON) byte for byte.

use crate::source::SourceArgs;
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `dti verify`.
#[derive(clap::Args)]
pub struct Args {
    /// The publication's folder (the one `dti publish --out` wrote).
    publication: PathBuf,
}

/// One check and its outcome.
struct Check {
    what: String,
    ok: bool,
    detail: String,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let data = args.publication.join("data");
    let manifest_path = data.join("manifest.json");
    let manifest: serde_json::Value = serde_json::from_slice(
        &std::fs::read(&manifest_path)
            .with_context(|| format!("cannot read {}: is this a publication folder?", manifest_path.display()))?,
    )
    .with_context(|| format!("{} is not JSON", manifest_path.display()))?;
    if manifest["format"] != "dti-publication/1" {
        bail!("{} is not a dti publication manifest (format {})", manifest_path.display(), manifest["format"]);
    }
    let mut checks = Vec::new();
    let published_engine = manifest["engine_version"].as_str().unwrap_or_default();
    checks.push(Check {
        what: "engine version".into(),
        ok: published_engine == dti_core::ENGINE_VERSION,
        detail: format!("published with {published_engine}, verified with {}", dti_core::ENGINE_VERSION),
    });
    let sources = manifest["sources"].as_array().cloned().unwrap_or_default();
    let [framework_file, data_file] = sources.as_slice() else {
        bail!("{} lists {} source files, not the indicator file and the data", manifest_path.display(), sources.len());
    };
    let mut paths = Vec::new();
    for (source, expected) in [(framework_file, &manifest["framework_sha256"]), (data_file, &manifest["data_sha256"])] {
        let name = source["file"].as_str().unwrap_or_default();
        let path = data.join(Path::new(name).file_name().unwrap_or_default());
        let sha = std::fs::read(&path).map(|bytes| dti_core::provenance::sha256_hex(&bytes));
        let (ok, detail) = match sha {
            Ok(sha) if Some(sha.as_str()) == expected.as_str() && Some(sha.as_str()) == source["sha256"].as_str() => {
                (true, format!("SHA-256 {sha}"))
            }
            Ok(sha) => (false, format!("SHA-256 {sha}, the manifest says {}", expected.as_str().unwrap_or("nothing"))),
            Err(error) => (false, format!("cannot read {}: {error}", path.display())),
        };
        checks.push(Check { what: name.to_owned(), ok, detail });
        paths.push(path);
    }
    let sources_ok = checks.iter().skip(1).all(|check| check.ok);
    let recomputed = if sources_ok { recompute(&manifest, &data, &paths[0], &paths[1])? } else { Vec::new() };
    let source_names: Vec<String> =
        sources.iter().filter_map(|source| source["file"].as_str()).map(|name| format!("data/{name}")).collect();
    let (file_checks, unlisted) = digests(&manifest, &args.publication, &source_names, recomputed)?;
    checks.extend(file_checks);
    let mut failed = 0;
    for check in &checks {
        failed += usize::from(!check.ok);
        println!("{} {}: {}", if check.ok { "ok  " } else { "FAIL" }, check.what, check.detail);
    }
    if !sources_ok {
        println!("the sources do not match the manifest: the results were not recomputed");
    }
    if manifest["files"].as_object().is_none() {
        println!("note: the manifest lists no file digests (an older publication): only the open data was checked");
    }
    for name in &unlisted {
        println!("note: {name} was not written by dti publish: not checked");
    }
    if failed == 0 {
        println!("{}: the publication matches its sources", args.publication.display());
        Ok(ExitCode::SUCCESS)
    } else {
        println!("{}: {failed} check(s) failed", args.publication.display());
        Ok(ExitCode::FAILURE)
    }
}

/// Checks every file the manifest lists against its digest, and the open data against its
/// recomputation (`recomputed`, by file name in `data/`): one check per file. Returns the
/// checks and the files present that the manifest does not list.
fn digests(
    manifest: &serde_json::Value,
    root: &Path,
    sources: &[String],
    recomputed: Vec<Check>,
) -> Result<(Vec<Check>, Vec<String>)> {
    let mut recomputed: std::collections::BTreeMap<String, Check> =
        recomputed.into_iter().map(|check| (format!("data/{}", check.what), check)).collect();
    let mut checks = Vec::new();
    let listed = manifest["files"].as_object().cloned().unwrap_or_default();
    for (name, expected) in &listed {
        if sources.contains(name) {
            continue;
        }
        let path = root.join(name);
        let digest = std::fs::read(&path).map(|bytes| dti_core::provenance::sha256_hex(&bytes));
        let short = name.strip_prefix("data/").unwrap_or(name).to_owned();
        let check = match (digest, recomputed.remove(name)) {
            (Err(error), _) => Check { what: name.clone(), ok: false, detail: format!("cannot read it: {error}") },
            (Ok(_), Some(recomputed)) if !recomputed.ok => Check { what: short, ..recomputed },
            (Ok(digest), recomputed) if Some(digest.as_str()) == expected.as_str() => match recomputed {
                Some(recomputed) => Check { what: short, ..recomputed },
                None => Check { what: name.clone(), ok: true, detail: "SHA-256 as published".into() },
            },
            (Ok(digest), _) => Check {
                what: name.clone(),
                ok: false,
                detail: format!(
                    "changed since it was published (SHA-256 {digest}, the manifest says {})",
                    expected.as_str().unwrap_or("nothing")
                ),
            },
        };
        checks.push(check);
    }
    // Open data an older manifest does not list is still compared with its recomputation.
    checks.extend(recomputed.into_values());
    let mut unlisted = Vec::new();
    if !listed.is_empty() {
        // Files the manifest does not list (links are not followed).
        crate::files::walk(root, Path::new(""), &mut |relative, metadata| {
            let text = crate::files::relative_text(relative);
            if !metadata.is_dir() && text != "data/manifest.json" && !listed.contains_key(&text) {
                unlisted.push(text);
            }
        })?;
    }
    Ok((checks, unlisted))
}

/// Evaluates every period again and compares each published CSV and JSON file.
fn recompute(manifest: &serde_json::Value, data: &Path, framework: &Path, data_file: &Path) -> Result<Vec<Check>> {
    let source = SourceArgs {
        framework: Some(framework.to_path_buf()),
        data: Some(data_file.to_path_buf()),
        builtin: None,
        strict: false,
    };
    let Some(loaded) = source.load()? else { bail!("the publication's sources do not load (see above)") };
    let series = loaded.series_until(None)?;
    let mut checks = Vec::new();
    for period in manifest["periods"].as_array().cloned().unwrap_or_default() {
        let label = period["period"].as_str().unwrap_or_default();
        let Some(evaluation) = series.iter().find(|evaluation| evaluation.period == label) else {
            checks.push(Check { what: format!("period {label}"), ok: false, detail: "not in the data".into() });
            continue;
        };
        for file in period["files"].as_array().into_iter().flatten().filter_map(|file| file.as_str()) {
            let Some(extension) = Path::new(file).extension().and_then(|extension| extension.to_str()) else {
                continue;
            };
            if !matches!(extension, "csv" | "json") {
                // A workbook records when it was written: compared through its CSV twin.
                continue;
            }
            let expected = crate::output::open_data(evaluation, extension)?;
            let path = data.join(file);
            let (ok, detail) = match std::fs::read(&path) {
                Ok(published) if published == expected => (true, format!("the same {} bytes", published.len())),
                Ok(published) => (false, differs(&published, &expected)),
                Err(error) => (false, format!("cannot read {}: {error}", path.display())),
            };
            checks.push(Check { what: file.to_owned(), ok, detail });
        }
    }
    Ok(checks)
}

/// Where two files first differ, by line (one ending before the other: the line after
/// the shorter one's last).
fn differs(published: &[u8], expected: &[u8]) -> String {
    let lines = |bytes: &[u8]| bytes.split(|&byte| byte == b'\n').count();
    let line = published
        .split(|&byte| byte == b'\n')
        .zip(expected.split(|&byte| byte == b'\n'))
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| lines(published).min(lines(expected)));
    format!("differs from the recomputed results from line {}", line + 1)
}

//! `cargo xtask bench-publish`: the publishing targets, measured. Generates 3,300 units x
//! 8 periods of the `vn-ministry` shape, times `dti publish` (release build) on them, then
//! has Chromium load the published rankings page and the ministry view with the same
//! file, and reports how long each took to render. Reported, not asserted: timings are
//! for benchmarks, not tests.

use anyhow::{Context, Result, bail};
use std::net::TcpListener;
use std::process::Command;
use std::time::Instant;

use crate::{build_dir, cargo, generated, web, workspace};

/// Flushes the disk's pending writes (`sync`; nothing when the command is missing).
fn sync() {
    let _ = Command::new("sync").status();
}

/// How many times `dti publish` runs (the median is reported).
const RUNS: usize = 3;

pub fn bench_publish() -> Result<()> {
    let bench = workspace().join("target/bench");
    std::fs::create_dir_all(&bench)?;
    let set = dti_core::builtin::builtin("vn-ministry").context("the built-in vn-ministry set")?;
    let framework = dti_core::load_framework(set.file_name, set.framework.as_bytes())
        .framework
        .context("the built-in set is valid")?;
    let data = bench.join("ministries-3300x8.csv");
    std::fs::write(&data, generated::ministries(&framework, generated::UNITS, generated::PERIODS))?;
    println!("\n==> {} ({} units x {} periods)", data.display(), generated::UNITS, generated::PERIODS.len());

    let app = workspace().join("target/dist");
    web::dist(&app)?;
    cargo(&["build", "--release", "-p", "dti-cli"], &[])?;
    let dti = build_dir().join("release/dti");
    // Each run into a new folder, with the disk's pending writes flushed first (not
    // timed): earlier runs' writing back would otherwise be charged to this one. Folders
    // of an earlier benchmark are removed first, then left alone for a while: ext4 is
    // slow to create files right after deleting thousands.
    let runs = bench.join("publications");
    if runs.exists() {
        std::fs::remove_dir_all(&runs)?;
        sync();
        std::thread::sleep(std::time::Duration::from_secs(30));
    }
    let publish = |out: &std::path::Path| -> Result<f64> {
        sync();
        let started = Instant::now();
        let output = Command::new(&dti)
            .args(["publish", "--builtin", "vn-ministry", "--data"])
            .arg(&data)
            .args(["--as-of", "2026-01-31", "--out"])
            .arg(out)
            .arg("--app")
            .arg(&app)
            .output()
            .context("running dti publish")?;
        let elapsed = started.elapsed().as_secs_f64();
        if !output.status.success() {
            bail!("dti publish failed: {}", String::from_utf8_lossy(&output.stderr));
        }
        print!("{}", String::from_utf8_lossy(&output.stderr));
        Ok(elapsed)
    };
    let mut times = Vec::new();
    for run in 0..RUNS {
        times.push(publish(&runs.join(format!("run-{run}")))?);
    }
    let out = runs.join("run-0");
    let again = publish(&out)?;
    times.sort_by(f64::total_cmp);
    println!(
        "dti publish, 3,300 units x 8 periods, into a new folder: median {:.2} s (runs: {}); again over the same publication: {again:.2} s",
        times[RUNS / 2],
        times.iter().map(|time| format!("{time:.2}")).collect::<Vec<_>>().join(", ")
    );

    // Rendering, in Chromium: the published rankings page and the ministry view.
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let address = listener.local_addr()?;
    std::thread::spawn(move || web::serve_on(listener, out));
    let status = Command::new("node")
        .arg("tests/e2e/bench-render.mjs")
        .current_dir(workspace())
        .env("DTI_PUBLICATION_URL", format!("http://{address}/"))
        .env("DTI_DATA", &data)
        .env("DTI_CHROMIUM", web::chromium()?)
        .status()
        .context("running node")?;
    if !status.success() {
        bail!("the rendering benchmark failed");
    }
    Ok(())
}

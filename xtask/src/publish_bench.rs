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
    let out = bench.join("publication");
    let mut times = Vec::new();
    for _ in 0..RUNS {
        let started = Instant::now();
        let output = Command::new(&dti)
            .args(["publish", "--builtin", "vn-ministry", "--data"])
            .arg(&data)
            .args(["--as-of", "2026-01-31", "--out"])
            .arg(&out)
            .arg("--app")
            .arg(&app)
            .output()
            .context("running dti publish")?;
        times.push(started.elapsed().as_secs_f64());
        if !output.status.success() {
            bail!("dti publish failed: {}", String::from_utf8_lossy(&output.stderr));
        }
        print!("{}", String::from_utf8_lossy(&output.stderr));
    }
    times.sort_by(f64::total_cmp);
    println!(
        "dti publish, 3,300 units x 8 periods: median {:.2} s (runs: {})",
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

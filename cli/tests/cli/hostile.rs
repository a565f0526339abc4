//! What the hostile-input review found (issue 16) on the command line: no command writes
//! over an input or leaves a half-written result, a publication is swapped in whole,
//! options are bounded, and every refusal names what is wrong. Each case failed before.

use super::{dti, dti_in, scratch, write};
use std::path::Path;

/// Publishes the built-in ministry set into `dir/site`.
fn publish(dir: &Path, extra: &[&str]) -> String {
    let mut args = vec!["publish", "--as-of", "2026-01-15", "--out", "site"];
    args.extend_from_slice(extra);
    dti_in(dir, &args)
}

/// Every file under a folder, relative, with its bytes (links are not followed).
fn snapshot(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let entry = entry.unwrap();
            let kind = entry.file_type().unwrap();
            if kind.is_dir() {
                stack.push(entry.path());
            } else if kind.is_file() {
                let name = entry.path().strip_prefix(root).unwrap().display().to_string();
                files.push((name, std::fs::read(entry.path()).unwrap()));
            }
        }
    }
    files.sort();
    files
}

/// No `.site.dti-new-*` or `.site.dti-old-*` folder is left beside the publication.
fn assert_nothing_left_beside(dir: &Path) {
    let left: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains(".dti-"))
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

/// A folder that looks like a built web app.
fn fake_app(dir: &Path, name: &str) -> std::path::PathBuf {
    let app = dir.join(name);
    std::fs::create_dir_all(&app).unwrap();
    std::fs::write(app.join("index.html"), "<!doctype html><title>app</title>").unwrap();
    std::fs::write(app.join("dti_web_bg.wasm"), b"\0asm").unwrap();
    app
}

#[cfg(unix)]
#[test]
fn publishing_again_never_follows_a_link_into_another_folder() {
    let scratch = scratch();
    let dir = scratch.path();
    assert!(publish(dir, &[]).starts_with("exit: 0"));
    // Someone's folders, linked into the publication.
    let theirs = dir.join("theirs");
    std::fs::create_dir_all(theirs.join("data")).unwrap();
    std::fs::write(theirs.join("keep.txt"), "mine").unwrap();
    std::fs::write(theirs.join("data/keep.csv"), "unit\n").unwrap();
    std::os::unix::fs::symlink(&theirs, dir.join("site/app")).unwrap();
    let before = snapshot(&theirs);
    // `app` is a link the publication did not write: kept as it is (no --app).
    let again = publish(dir, &[]);
    assert!(again.starts_with("exit: 0"), "{again}");
    assert!(again.contains("note: kept 1 file(s) that dti publish did not write: app"), "{again}");
    assert_eq!(snapshot(&theirs), before);
    // `data` replaced by a link: the publication writes `data/`, so it is refused, untouched.
    let site_data = dir.join("site/data");
    std::fs::rename(&site_data, dir.join("old-data")).unwrap();
    std::os::unix::fs::symlink(theirs.join("data"), &site_data).unwrap();
    let refused = publish(dir, &[]);
    assert!(refused.starts_with("exit: 1"), "{refused}");
    assert!(
        refused.contains("data is a link to another folder") && refused.contains("nothing was changed"),
        "{refused}"
    );
    assert_eq!(snapshot(&theirs), before);
    assert_nothing_left_beside(dir);
}

#[test]
fn publishing_again_from_the_copies_the_publication_keeps_leaves_them_whole() {
    let scratch = scratch();
    let dir = scratch.path();
    assert!(publish(dir, &[]).starts_with("exit: 0"));
    let framework = std::fs::read(dir.join("site/data/vn-ministry.toml")).unwrap();
    let data = std::fs::read(dir.join("site/data/vn-ministry-sample.csv")).unwrap();
    let again =
        publish(dir, &["--framework", "site/data/vn-ministry.toml", "--data", "site/data/vn-ministry-sample.csv"]);
    assert!(again.starts_with("exit: 0"), "{again}");
    assert_eq!(std::fs::read(dir.join("site/data/vn-ministry.toml")).unwrap(), framework);
    assert_eq!(std::fs::read(dir.join("site/data/vn-ministry-sample.csv")).unwrap(), data);
    assert!(!framework.is_empty() && !data.is_empty());
    let verified = dti(&["verify", &dir.join("site").display().to_string()]);
    assert!(verified.starts_with("exit: 0"), "{verified}");
}

#[test]
fn no_command_writes_over_one_of_its_inputs() {
    let scratch = scratch();
    let dir = scratch.path();
    let set = dti_core::builtin::builtin("vn-ministry").unwrap();
    write(&scratch, "f.toml", set.framework);
    write(&scratch, "data.csv", &set.data());
    std::fs::create_dir(dir.join("sub")).unwrap();
    let cases: [&[&str]; 5] = [
        &["template", "--framework", "f.toml", "--out", "f.toml"],
        &["report", "--framework", "f.toml", "--data", "data.csv", "--out", "data.csv"],
        &["evaluate", "--framework", "f.toml", "--data", "data.csv", "--format", "xlsx", "--out", "data.csv"],
        &["evaluate", "--framework", "f.toml", "--data", "data.csv", "--format", "csv", "--out", "sub/../data.csv"],
        &["alerts", "--framework", "f.toml", "--data", "data.csv", "--out", "./f.toml"],
    ];
    for args in cases {
        let output = dti_in(dir, args);
        assert!(output.starts_with("exit: 1"), "{args:?}: {output}");
        assert!(output.contains("is one of this command's inputs: refusing to write over it"), "{args:?}: {output}");
    }
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(dir.join("data.csv"), dir.join("link.csv")).unwrap();
        let output = dti_in(dir, &["evaluate", "--framework", "f.toml", "--data", "data.csv", "--out", "link.csv"]);
        assert!(output.contains("(the same file as data.csv)"), "{output}");
    }
    assert_eq!(std::fs::read_to_string(dir.join("f.toml")).unwrap(), set.framework);
    assert_eq!(std::fs::read_to_string(dir.join("data.csv")).unwrap(), set.data());
}

#[test]
fn a_publication_that_fails_leaves_the_previous_one_whole_and_nothing_beside_it() {
    let scratch = scratch();
    let dir = scratch.path();
    let app = fake_app(dir, "dist");
    assert!(publish(dir, &["--app", "dist"]).starts_with("exit: 0"));
    let before = snapshot(&dir.join("site"));
    // An app file that cannot be read fails the publication after every page is written.
    std::fs::create_dir(app.join("broken.js")).unwrap();
    std::fs::write(app.join("broken.js/x"), "x").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.join("nowhere"), app.join("gone.js")).unwrap();
    let failed = publish(dir, &["--app", "dist", "--builtin", "vn-unit"]);
    assert!(failed.starts_with("exit: 1"), "{failed}");
    assert!(failed.contains("gone.js"), "the file is named: {failed}");
    assert_eq!(snapshot(&dir.join("site")), before, "the previous publication is whole");
    assert_nothing_left_beside(dir);
    // A failed first publication leaves no folder, and the next one succeeds.
    let first = dti_in(dir, &["publish", "--out", "fresh", "--app", "dist"]);
    assert!(first.starts_with("exit: 1"), "{first}");
    assert!(!dir.join("fresh").exists());
    assert_nothing_left_beside(dir);
    std::fs::remove_file(app.join("gone.js")).unwrap();
    let next = dti_in(dir, &["publish", "--out", "fresh", "--app", "dist"]);
    assert!(next.starts_with("exit: 0"), "{next}");
}

#[test]
fn an_app_folder_that_holds_the_publication_is_refused() {
    let scratch = scratch();
    let dir = scratch.path();
    fake_app(dir, "site");
    let output = publish(dir, &["--app", "site"]);
    assert!(output.starts_with("exit: 1"), "{output}");
    assert!(output.contains("holds the publication's folder"), "{output}");
    assert_eq!(std::fs::read_dir(dir.join("site")).unwrap().count(), 2, "the folder is untouched");
}

#[test]
fn verify_names_any_published_file_edited_since() {
    let scratch = scratch();
    let dir = scratch.path();
    assert!(publish(dir, &[]).starts_with("exit: 0"));
    let site = dir.join("site");
    let folder = site.display().to_string();
    let page = site.join("en/index.html");
    let html = std::fs::read_to_string(&page).unwrap().replacen("</body>", "<p>edited</p></body>", 1);
    std::fs::write(&page, html).unwrap();
    let mut workbook = std::fs::read(site.join("data/2025.xlsx")).unwrap();
    workbook.push(0);
    std::fs::write(site.join("data/2025.xlsx"), workbook).unwrap();
    std::fs::write(site.join("units/added.html"), "<p>not published</p>").unwrap();
    let output = dti(&["verify", &folder]);
    assert!(output.starts_with("exit: 1"), "{output}");
    assert!(output.contains("FAIL en/index.html: changed since it was published"), "{output}");
    assert!(output.contains("FAIL data/2025.xlsx: changed since it was published"), "{output}");
    assert!(output.contains("2 check(s) failed"), "{output}");
    assert!(output.contains("note: units/added.html was not written by dti publish: not checked"), "{output}");
}

#[test]
fn options_out_of_range_are_usage_errors_that_say_the_range() {
    let cases: [(&[&str], &str); 9] = [
        (&["evaluate", "--screen", "2"], "2 is not a share: give a number from 0 to 1"),
        (&["evaluate", "--screen", "nan"], "NaN is not a share"),
        (&["evaluate", "--winsorise", "2000000000"], "is not a number of points from 0 to 10000"),
        (&["evaluate", "--winsorise", "-1"], "-1 is not a number of points from 0 to 10000"),
        (&["evaluate", "--rank-decimals", "40"], "40 is not in 0..=15"),
        (&["evaluate", "--lang", "fr"], "invalid value 'fr'"),
        (&["evaluate", "--normalise", "minmax:0,1e308"], "at most 1e9 in size"),
        (&["sensitivity", "--weights", "0.25", "--points", "4000000000"], "is out of range: give 1 to 100000"),
        (&["sensitivity", "--weights", "0.25", "--bootstrap", "4000000000"], "is out of range: give 1 to 10000"),
    ];
    for (args, words) in cases {
        let output = dti(args);
        assert!(output.starts_with("exit: 2"), "{args:?}: {output}");
        assert!(output.contains(words), "{args:?}: {output}");
    }
    let group = dti(&["evaluate", "--impute", "group-median:NoSuchColumn"]);
    assert!(group.starts_with("exit: 1"), "{group}");
    assert!(group.contains("`NoSuchColumn` is not a group column of the indicator file"), "{group}");
}

#[test]
fn an_unknown_unit_in_an_option_is_an_error_not_an_empty_list() {
    let output = dti(&["alerts", "--unit", "m01", "--as-of", "2026-01-15", "--fail-on", "critical"]);
    assert!(output.starts_with("exit: 1"), "{output}");
    assert!(output.contains("no unit `m01` in the data (did you mean `M01`?)"), "{output}");
}

#[test]
fn a_device_or_a_stream_of_zeros_is_refused_without_reading_it_all() {
    let output = dti(&["evaluate", "--data", "/dev/zero"]);
    assert!(output.starts_with("exit: 1"), "{output}");
    assert!(output.contains("is not a data file"), "{output}");
    let csv = dti(&["evaluate", "--data", "/dev/zero", "--framework", "../indicators/vn-ministry.toml"]);
    assert!(csv.starts_with("exit: 1"), "{csv}");
}

#[test]
fn an_excel_problem_is_shown_without_the_archive_s_bytes() {
    let scratch = scratch();
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet().set_name("data").unwrap();
    for (column, text) in ["unit", "dt-online-dossiers"].iter().enumerate() {
        sheet.write_string(0, column as u16, *text).unwrap();
    }
    sheet.write_string(1, 0, "M01").unwrap();
    sheet.write_number(1, 1, 140.0).unwrap();
    let path = scratch.path().join("bad.xlsx");
    workbook.save(&path).unwrap();
    let output = dti(&["evaluate", "--strict", "--data", path.to_str().unwrap()]);
    assert!(output.starts_with("exit: 1") && output.contains("140 is not a percentage"), "{output}");
    assert!(!output.contains("PK") && !output.contains("near:"), "{output}");
}

#[test]
fn a_submission_for_another_indicator_file_is_merged_with_a_warning() {
    let scratch = scratch();
    let dir = scratch.path();
    let fixture = std::fs::read_to_string(super::workspace().join("tests/e2e/fixtures/submission.json")).unwrap();
    let other = fixture.replacen("\"sha256\": \"\"", "\"sha256\": \"0123456789abcdef\"", 1);
    assert_ne!(other, fixture);
    std::fs::write(dir.join("other.json"), other).unwrap();
    let output = dti_in(dir, &["merge", "other.json", "--out", "merged.csv"]);
    assert!(output.starts_with("exit: 0"), "{output}");
    assert!(output.contains("warning: other.json was made for another indicator file"), "{output}");
    let same = dti_in(dir, &["merge", "merged.csv", "--out", "again.csv"]);
    assert!(!same.contains("another indicator file"), "{same}");
}

#[test]
fn a_conflict_that_differs_only_in_its_note_says_so() {
    let scratch = scratch();
    let dir = scratch.path();
    let head = "unit,period,indicator,value,note\n";
    write(&scratch, "a.csv", &format!("{head}M01,2026,if-cloud,85,from the survey\n"));
    write(&scratch, "b.csv", &format!("{head}M01,2026,if-cloud,85,estimated\n"));
    let output = dti_in(dir, &["merge", "a.csv", "b.csv"]);
    assert!(output.contains("85 (note: from the survey)") && output.contains("85 (note: estimated)"), "{output}");
}

#[test]
fn a_name_with_a_bar_keeps_the_markdown_columns() {
    let scratch = scratch();
    let data = write(&scratch, "d.csv", "unit,name,period,in-cdo\nX1,A | B,2026,1\n");
    let output = dti(&["evaluate", "--data", data.to_str().unwrap(), "--format", "md"]);
    let row = output.lines().find(|line| line.contains("X1")).expect("the row");
    assert!(row.contains("A \\| B"), "{row}");
}

#[cfg(unix)]
#[test]
fn out_dev_stdout_writes_to_the_pipe_and_leaves_the_device_link() {
    let before = std::fs::read_link("/dev/stdout").ok();
    let output = dti(&["evaluate", "--format", "csv", "--out", "/dev/stdout"]);
    assert!(output.starts_with("exit: 0\n--- stdout\nunit,block,"), "{output}");
    assert_eq!(std::fs::read_link("/dev/stdout").ok(), before, "/dev/stdout is still the link it was");
}

//! Issue 18 on the command line: one value that breaks its indicator's rule never blanks
//! a ranking (`--strict` keeps the old refusal), and the problem names the file given.

use super::{dti_in, scratch, write};

const DATA: &str = "unit,name,block,period,dt-online-dossiers,hr-staff-trained\n\
    M01,Bộ A,ministry-with-public-services,2025,80,40\n\
    M02,Bộ B,ministry-with-public-services,2025,140,30\n\
    M03,Bộ C,ministry-with-public-services,2025,60,20\n";

#[test]
fn evaluate_ranks_everyone_and_flags_the_unit_whose_value_was_refused() {
    let scratch = scratch();
    write(&scratch, "d.csv", DATA);
    let out = dti_in(scratch.path(), &["evaluate", "--builtin", "vn-ministry", "--data", "d.csv", "--format", "csv"]);
    assert!(out.starts_with("exit: 0"), "{out}");
    assert!(out.contains("d.csv:3") && out.contains("140") && out.contains("counted as missing"), "{out}");
    let header = out.lines().find(|line| line.starts_with("unit,")).expect("a header");
    assert!(header.ends_with(",refused_values"), "{header}");
    let row = |unit: &str| out.lines().find(|line| line.starts_with(unit)).expect("a row").to_owned();
    assert!(row("M02,").ends_with(",1") && row("M01,").ends_with(",0"), "{out}");

    let table = dti_in(scratch.path(), &["evaluate", "--builtin", "vn-ministry", "--data", "d.csv", "--lang", "en"]);
    assert!(table.contains("Values refused"), "{table}");

    let strict = dti_in(scratch.path(), &["evaluate", "--builtin", "vn-ministry", "--data", "d.csv", "--strict"]);
    assert!(strict.starts_with("exit: 1"), "{strict}");
    assert!(strict.contains("d.csv:3") && strict.contains("error"), "{strict}");
}

#[test]
fn merge_names_a_refused_value_by_its_file_and_strict_merges_nothing() {
    let scratch = scratch();
    write(&scratch, "a.csv", "unit,indicator,value\nM01,dt-online-dossiers,50\n");
    write(&scratch, "b.csv", "unit,indicator,value\nM02,dt-online-dossiers,140\n");
    let out = dti_in(scratch.path(), &["merge", "--builtin", "vn-ministry", "a.csv", "b.csv", "--out", "m.csv"]);
    assert!(out.starts_with("exit: 0"), "{out}");
    assert!(out.contains("b.csv:2") && out.contains("140"), "{out}");
    let merged = std::fs::read_to_string(scratch.path().join("m.csv")).expect("written");
    assert!(merged.contains("M02") && merged.contains(",140,"), "the value is passed on as given: {merged}");
    let evaluated =
        dti_in(scratch.path(), &["evaluate", "--builtin", "vn-ministry", "--data", "m.csv", "--format", "csv"]);
    assert!(evaluated.starts_with("exit: 0") && evaluated.contains("refused_values"), "{evaluated}");

    let strict =
        dti_in(scratch.path(), &["merge", "--builtin", "vn-ministry", "a.csv", "b.csv", "--strict", "--out", "s.csv"]);
    assert!(strict.starts_with("exit: 1"), "{strict}");
    assert!(!scratch.path().join("s.csv").exists());
}

#[test]
fn diagnostics_on_the_terminal_follow_dti_lang() {
    let scratch = scratch();
    write(&scratch, "d.csv", DATA);
    let run = |lang: &str| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_dti"))
            .args(["evaluate", "--builtin", "vn-ministry", "--data", "d.csv", "--strict"])
            .current_dir(scratch.path())
            .env("NO_COLOR", "1")
            .env("DTI_LANG", lang)
            .output()
            .expect("runs");
        String::from_utf8_lossy(&output.stderr).into_owned()
    };
    let vi = run("vi");
    assert!(vi.contains("không phải là tỉ lệ phần trăm") && vi.contains("gợi ý"), "{vi}");
    assert!(!vi.contains("is not a percentage"), "{vi}");
    let en = run("en");
    assert!(en.contains("140 is not a percentage") && en.contains("hint"), "{en}");
}

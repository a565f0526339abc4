//! The core is a stack: each of its modules uses only the modules below it, so that no
//! layer depends on one above and no circle of modules can form again. Read from the
//! source (`crate::...` paths outside test code), so that the check needs no tool.

use std::collections::BTreeMap;
use std::path::Path;

/// The core's modules, bottom first: a module may use those of a lower layer (and
/// itself), never one of its own layer or above.
const LAYERS: &[&[&str]] = &[
    &["text", "stats", "period", "limits", "provenance", "builtin"],
    &["locale"],
    &["message"],
    &["diag"],
    &["table"],
    &["framework"],
    &["data"],
    &["evaluation"],
    &["pipeline"],
    &["series", "assessment"],
    &["alerts", "robustness"],
];

/// What the crate root re-exports, by the module that defines it.
const ROOT_ITEMS: &[(&str, &str)] = &[
    ("load_framework", "framework"),
    ("LoadedFramework", "framework"),
    ("Framework", "framework"),
    ("load_data", "data"),
    ("LoadedData", "data"),
    ("Dataset", "data"),
    ("Unit", "data"),
    ("Code", "diag"),
    ("Diagnostic", "diag"),
    ("Location", "diag"),
    ("Severity", "diag"),
    ("Evaluation", "evaluation"),
    ("evaluate", "pipeline"),
    ("evaluate_shared", "pipeline"),
    ("EvaluateOptions", "pipeline"),
    ("Overrides", "pipeline"),
    ("EvalError", "pipeline"),
    ("ENGINE_VERSION", "provenance"),
    ("Provenance", "provenance"),
    ("sha256_hex", "provenance"),
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

/// The modules a source text names through `crate::` (single paths and `{...}` groups).
fn used_modules(text: &str) -> Vec<String> {
    let mut used = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            used.extend(group[..end].split(',').map(|item| item.trim().split("::").next().unwrap_or("").to_owned()));
        } else {
            let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            used.push(name);
        }
    }
    used.into_iter()
        .filter(|name| !name.is_empty())
        .map(|name| ROOT_ITEMS.iter().find(|(item, _)| *item == name).map_or(name, |(_, module)| (*module).to_owned()))
        .collect()
}

/// A file's source without its test module (tests may use what they like).
fn without_tests(text: &str) -> &str {
    match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => text,
    }
}

fn visit(folder: &Path, files: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(folder).expect("core/src is readable") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            visit(&path, files);
        } else if path.extension().is_some_and(|extension| extension == "rs") {
            files.push(path);
        }
    }
}

#[test]
fn every_core_module_uses_only_the_layers_below_it() {
    let source = crate::support::workspace().join("core/src");
    let mut files = Vec::new();
    visit(&source, &mut files);
    let mut wrong: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut modules_seen = 0;
    for file in files {
        let relative = file.strip_prefix(&source).expect("inside core/src");
        if relative == Path::new("lib.rs") || file.file_name().is_some_and(|name| name == "tests.rs") {
            continue;
        }
        let first = relative.components().next().expect("a path").as_os_str().to_string_lossy().into_owned();
        let module = first.strip_suffix(".rs").unwrap_or(&first).to_owned();
        let Some(own) = layer_of(&module) else {
            panic!("core module `{module}` ({}) is in no layer: place it in LAYERS", relative.display())
        };
        modules_seen += 1;
        let text = std::fs::read_to_string(&file).expect("readable");
        // Code only: a comment may name any module.
        let code: String = without_tests(&text)
            .lines()
            .filter(|line| !line.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        for used in used_modules(&code) {
            if used == module {
                continue;
            }
            let Some(layer) = layer_of(&used) else { continue };
            if layer >= own {
                wrong.entry(relative.display().to_string()).or_default().push(used);
            }
        }
    }
    assert!(modules_seen > 20, "only {modules_seen} files read");
    let report: Vec<String> =
        wrong.iter().map(|(file, used)| format!("{file} uses {} (at or above its layer)", used.join(", "))).collect();
    assert!(report.is_empty(), "the core's layers point the wrong way:\n{}", report.join("\n"));
}

#[test]
fn the_layer_check_reads_groups_and_root_items() {
    let used = used_modules("use crate::{diag::Code, text};\nlet x = crate::evaluate(a);\ncrate::pipeline::stats::x");
    assert_eq!(used, ["diag", "text", "pipeline", "pipeline"]);
}

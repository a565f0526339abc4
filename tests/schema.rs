//! The committed JSON Schema of the indicator file matches the types.

use crate::support::workspace;

#[test]
fn the_committed_schema_is_up_to_date() {
    let schema = schemars::schema_for!(dti_core::framework::raw::RawFramework);
    let expected = serde_json::to_string_pretty(&schema).unwrap() + "\n";
    let path = workspace().join("indicators/schema.json");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(committed == expected, "indicators/schema.json is stale: run `cargo xtask schema` and commit the result");
}

#[test]
fn the_schema_describes_the_main_keys() {
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(workspace().join("indicators/schema.json")).unwrap()).unwrap();
    let properties = &schema["properties"];
    for key in ["id", "version", "title", "scale", "pipeline", "blocks", "nodes", "indicators", "levels"] {
        assert!(properties.get(key).is_some(), "schema lacks `{key}`");
    }
}

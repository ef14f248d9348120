//! Each generated type implements the serde traits the client needs of it
//! (issue 15: the derives were most of the crate's compile time), and the
//! `full-serde` feature adds the other one.

use heygen_codegen_tests::workspace_root;

/// The attribute lines right above `pub struct <name>`, joined.
fn attributes_of(types_rs: &str, name: &str) -> String {
    let declaration = format!("pub struct {name} ");
    let at = types_rs
        .find(&declaration)
        .unwrap_or_else(|| panic!("no struct {name}"));
    types_rs[..at]
        .lines()
        .rev()
        .take_while(|line| line.starts_with("#["))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Whether `name` has its written-out `Deserialize` (the runtime's
/// `deserialize_struct!`): `Some(true)` when it is behind `full-serde`,
/// `None` when there is none.
fn deserialize_impl(types_rs: &str, name: &str) -> Option<bool> {
    let invocation = "crate::runtime::de::deserialize_struct!(";
    let at = types_rs.match_indices(invocation).find_map(|(at, _)| {
        let rest = types_rs[at + invocation.len()..].trim_start();
        let named = rest.strip_prefix(name)?;
        named.starts_with([' ', '{']).then_some(at)
    })?;
    let line_before = types_rs[..at].lines().next_back().unwrap_or_default();
    Some(line_before == "#[cfg(feature = \"full-serde\")]")
}

#[test]
fn types_implement_what_the_client_does_with_them() {
    let specs = workspace_root().join("tests/fixtures/serde_traits");
    let generated =
        generator::generate(&generator::Options::for_workspace(specs)).expect("generate");
    let types_rs = &generated.files["src/types.rs"];
    let full_serde = "#[cfg_attr(feature = \"full-serde\"";

    // Sent only: Serialize, and Deserialize with the feature.
    let input = attributes_of(types_rs, "ThingInput");
    assert!(input.contains("PartialEq, serde::Serialize)]"), "{input}");
    assert!(!input.contains(full_serde), "{input}");
    assert_eq!(deserialize_impl(types_rs, "ThingInput"), Some(true));
    // Received only: Deserialize, and Serialize with the feature (its field
    // attributes too: without a serde derive, `serde` is no attribute).
    let thing = attributes_of(types_rs, "Thing");
    assert!(
        thing.contains("#[derive(Debug, Clone, PartialEq)]"),
        "{thing}"
    );
    assert!(
        thing.contains(&format!("{full_serde}, derive(serde::Serialize))]")),
        "{thing}"
    );
    assert_eq!(deserialize_impl(types_rs, "Thing"), Some(false));
    // Sent and received; reached by no operation; sent, but also held by a
    // type no operation reaches (which has both, so its fields need both).
    for name in ["Shared", "Lonely", "SentOnly"] {
        let attributes = attributes_of(types_rs, name);
        assert!(
            attributes.contains("serde::Serialize)]"),
            "{name}: {attributes}"
        );
        assert!(!attributes.contains(full_serde), "{name}: {attributes}");
        assert_eq!(deserialize_impl(types_rs, name), Some(false), "{name}");
    }

    let manifest = &generated.files["Cargo.toml"];
    assert!(manifest.contains("\nfull-serde = []\n"), "{manifest}");
    assert!(
        !manifest.contains("\"full-serde\", ") && !manifest.contains(", \"full-serde\""),
        "full-serde is not a default feature:\n{manifest}"
    );
}

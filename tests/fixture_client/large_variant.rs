//! Copied by tests/tests/fixture_crates.rs into the crate generated from
//! tests/fixtures/large_variant: a union member of 30 strings is held in a
//! `Box` (so clippy's `large_enum_variant` stays quiet), which changes nothing
//! for a user who builds the union with `From` and reads it back from JSON.

use heygen::types::{Backdrop, ColorScene, SceneInput, StudioScene};
use serde_json::json;

#[test]
fn a_boxed_variant_is_built_with_from_and_reads_back() {
    let studio = StudioScene::new().field_00("lights").field_29("camera");
    let input = SceneInput::from(studio.clone());
    assert_eq!(
        serde_json::to_value(&input).unwrap(),
        json!({"type": "studio", "field_00": "lights", "field_29": "camera"})
    );
    let back: SceneInput = serde_json::from_value(json!({"type": "studio", "field_00": "lights", "field_29": "camera"})).unwrap();
    assert!(matches!(&back, SceneInput::Studio(boxed) if **boxed == studio), "{back:?}");
    let color = SceneInput::from(ColorScene::new("red"));
    assert_eq!(serde_json::to_value(&color).unwrap(), json!({"type": "color", "color": "red"}));

    let backdrop: Backdrop = serde_json::from_value(json!({"type": "studio", "field_01": "x"})).unwrap();
    assert!(matches!(backdrop, Backdrop::StudioScene(_)), "{backdrop:?}");
    assert_eq!(Backdrop::from("plain".to_string()), Backdrop::String("plain".into()));
    // The union stays small: the large member lives behind a pointer.
    assert!(std::mem::size_of::<SceneInput>() <= 128, "{}", std::mem::size_of::<SceneInput>());
}

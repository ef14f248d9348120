use super::*;

#[test]
fn bumps() {
    // Below 1.0, Cargo's convention: the minor number marks breaking changes.
    assert_eq!(Bump::Major.apply("0.1.0"), Ok("0.2.0".into()));
    assert_eq!(Bump::Major.apply("0.1.3"), Ok("0.2.0".into()));
    assert_eq!(Bump::Minor.apply("0.1.3"), Ok("0.1.4".into()));
    assert_eq!(Bump::Patch.apply("0.1.3"), Ok("0.1.4".into()));
    assert_eq!(Bump::Major.apply("1.4.2"), Ok("2.0.0".into()));
    assert_eq!(Bump::Minor.apply("1.4.2"), Ok("1.5.0".into()));
    assert_eq!(Bump::Patch.apply("1.2.3"), Ok("1.2.4".into()));
    assert_eq!(Bump::Patch.apply("1.2.3-rc.1"), Ok("1.2.4".into()));
    assert!(Bump::Patch.apply("1.2").is_err());
    assert!(Bump::Patch.apply("a.b.c").is_err());
    assert!(Bump::Patch.apply("").is_err());
}

#[test]
fn changelog_prepends_after_title() {
    let first = prepend_changelog(None, "## 0.2.0 (2026-05-01)\n\nx\n");
    assert!(first.starts_with("# Changelog\n"), "{first}");
    assert!(first.ends_with("## 0.2.0 (2026-05-01)\n\nx\n"), "{first}");
    let second = prepend_changelog(Some(&first), "## 1.0.0 (2026-06-01)\n\ny\n");
    let new_at = second.find("## 1.0.0").expect("new section");
    let old_at = second.find("## 0.2.0").expect("old section");
    assert!(new_at < old_at, "{second}");
    assert_eq!(second.matches("# Changelog").count(), 1, "{second}");
    let foreign = prepend_changelog(Some("hand-written notes\n"), "## 1.0.0 (d)\n");
    assert!(foreign.contains("hand-written notes"), "{foreign}");
    assert!(
        foreign.find("## 1.0.0") < foreign.find("hand-written"),
        "{foreign}"
    );
}

#[test]
fn empty_report() {
    let report = ChangeReport::default();
    assert_eq!(report.render(Some("0.1.0")), "No API changes.\n");
    assert_eq!(report.bump(), None);
    assert!(!report.has_at_least(Severity::Other));
}

#[test]
fn a_type_that_loses_a_serde_trait_is_breaking_and_one_that_gains_is_not_listed() {
    use crate::surface::{Surface, TypeShape, TypeSurface};
    let surface = |serde: Option<&str>| Surface {
        generated: String::new(),
        format: crate::surface::FORMAT,
        title: "t".into(),
        api_version: "1".into(),
        operations: Vec::new(),
        types: vec![TypeSurface {
            name: "Thing".into(),
            shape: TypeShape::Alias {
                target: "String".into(),
            },
            legacy: false,
            deprecated: false,
            origin: "api#/components/schemas/Thing".into(),
            serde: serde.map(str::to_string),
        }],
    };
    let lost = ChangeReport::compare(&surface(Some("both")), &surface(Some("deserialize")));
    assert_eq!(lost.changes.len(), 1, "{lost:?}");
    assert_eq!(lost.changes[0].severity, Severity::Breaking);
    assert_eq!(lost.changes[0].kind, ChangeKind::SerdeTraitsChanged);
    assert!(lost.changes[0].message.contains("`Serialize`"), "{lost:?}");
    let lost_both_ways = ChangeReport::compare(&surface(Some("both")), &surface(Some("serialize")));
    assert!(lost_both_ways.changes[0].message.contains("`Deserialize`"));
    // A gained trait follows from a change listed anyway.
    let gained = ChangeReport::compare(&surface(Some("serialize")), &surface(Some("both")));
    assert!(gained.is_empty(), "{gained:?}");
    // A surface from before the traits were recorded says nothing.
    let unknown = ChangeReport::compare(&surface(None), &surface(Some("serialize")));
    assert!(unknown.is_empty(), "{unknown:?}");
}

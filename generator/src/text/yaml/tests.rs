use super::*;
use crate::pipeline::with_large_stack;

/// serde_yaml's reading of `text`: the value, or the line and column of its
/// error (None when it names no place); the messages are not compared.
fn serde_yaml_reads(text: &str) -> Result<Value, Option<(usize, usize)>> {
    serde_yaml::from_str::<Value>(text).map_err(|e| e.location().map(|at| (at.line(), at.column())))
}

#[track_caller]
fn same_as_serde_yaml(text: &str) {
    let ours = parse(text, 128);
    match (serde_yaml_reads(text), ours) {
        (Ok(expected), Ok(got)) => assert_eq!(got, expected, "{text:?}"),
        (Err(None), Err(_)) => {}
        (Err(Some(place)), Err(got)) => {
            assert_eq!((got.line, got.column), place, "{text:?}: {got:?}")
        }
        (expected, got) => panic!("{text:?}: serde_yaml {expected:?}, here {got:?}"),
    }
}

const SCALARS: &[&str] = &[
    "",
    "~",
    "null",
    "Null",
    "NULL",
    "nULL",
    "true",
    "True",
    "TRUE",
    "tRUE",
    "yes",
    "no",
    "on",
    "off",
    "y",
    "false",
    "False",
    "FALSE",
    "0",
    "-0",
    "+0",
    "00",
    "007",
    "-007",
    "+007",
    "12",
    "+12",
    "-12",
    "+-12",
    "-+12",
    "++1",
    "1_000",
    "0x1F",
    "0X1F",
    "+0x1F",
    "-0x1F",
    "0x-1",
    "0x+1",
    "-0x-1",
    "0x",
    "0o17",
    "-0o17",
    "0o9",
    "0b101",
    "-0b101",
    "0b2",
    "18446744073709551615",
    "18446744073709551616",
    "-9223372036854775808",
    "-9223372036854775809",
    "340282366920938463463374607431768211455",
    "340282366920938463463374607431768211456",
    "-170141183460469231731687303715884105728",
    "-170141183460469231731687303715884105729",
    "0xffffffffffffffffff",
    "1.5",
    "-1.5",
    "+1.5",
    "+-1.5",
    ".5",
    "5.",
    "1e5",
    "1E5",
    "1e+5",
    "-1e-5",
    "1e400",
    "-1e400",
    ".inf",
    ".Inf",
    ".INF",
    "+.inf",
    "-.inf",
    "-.Inf",
    "-.INF",
    ".nan",
    ".NaN",
    ".NAN",
    "+.nan",
    "-.nan",
    "inf",
    "nan",
    "infinity",
    "NaN",
    "0.",
    "00.5",
    "01.5",
    "2001-12-14",
    "12:30",
    "1:20",
    "3.1.0",
    "v1",
    "hello world",
    "\"quoted\"",
    "'single'",
    "é",
    "a: b",
];

#[test]
fn reads_like_serde_yaml() {
    for scalar in SCALARS {
        for text in [
            format!("v: {scalar}\n"),
            format!("- {scalar}\n"),
            format!("v: \"{}\"\n", scalar.replace('"', "\\\"")),
            format!("v: !!int {scalar}\n"),
            format!("v: !!float {scalar}\n"),
            format!("v: !!bool {scalar}\n"),
            format!("v: !!null {scalar}\n"),
            format!("v: !!str {scalar}\n"),
            format!("v: !custom {scalar}\n"),
            format!("v: !custom '{scalar}'\n"),
            format!("{scalar}: v\n"),
        ] {
            same_as_serde_yaml(&text);
        }
    }
    for text in [
        "",
        "# only a comment\n",
        "---\n",
        "---\na: 1\n",
        "a: 1\n---\nb: 2\n",
        "a: 1\n...\n",
        "a: &x {b: [1, 2]}\nc: *x\n",
        "a: &x 1\nb: *x\nc: &x 2\nd: *x\n",
        "a: *nowhere\n",
        "base: &b {x: 1, y: 2}\nderived:\n  <<: *b\n  y: 3\n",
        "1: a\n'1': b\n",
        "? [a, b]\n: c\n",
        "t: !tagged {a: 1}\nu: !!map {a: 1}\nv: !!seq [1]\nw: ! x\n",
        "s: |\n  line one\n  line two\nf: >\n  folded\n  text\n",
        "a: [1, {b: c}, [d, e]]\n",
        "a: {b: [unclosed\n",
        "a:\n  - b\n - c\n",
        "\t a: 1\n",
        "a: \"\\xff\\u263a\"\n",
        "a: b: c\n",
        "%YAML 1.2\n---\na: 1\n",
        "a: 'it''s'\n",
    ] {
        same_as_serde_yaml(text);
    }
}

fn flow(levels: usize) -> String {
    format!("{}1{}", "[".repeat(levels), "]".repeat(levels))
}

#[test]
fn nests_to_the_bound_and_no_deeper() {
    with_large_stack(|| {
        let mut value = parse(&flow(2048), 2048).expect("2048 levels");
        for _ in 0..2048 {
            let Value::Sequence(mut items) = value else {
                panic!("not a sequence")
            };
            value = items.pop().unwrap();
        }
        assert_eq!(value, Value::Number(1.into()));

        let error = parse(&flow(2049), 2048).unwrap_err();
        assert!(error.too_deep);
        assert_eq!(error.pointer, "/0".repeat(2048));
        assert_eq!((error.line, error.column), (1, 2049));
    });
}

/// Far too deep is refused where the bound is crossed, without reading on
/// (and without recursion: this runs on a test thread's small stack).
#[test]
fn far_too_deep_is_an_error_not_a_crash() {
    let error = parse(&flow(1_000_000), 2048).unwrap_err();
    assert!(error.too_deep);
    assert_eq!(error.pointer.len(), 2 * 2048);

    let block: String = (0..3000)
        .map(|i| format!("{}k:\n", " ".repeat(i)))
        .collect();
    let error = parse(&block, 2048).unwrap_err();
    assert!(error.too_deep);
    assert_eq!(error.pointer, "/k".repeat(2048));
    assert_eq!(error.line, 2049);
}

#[test]
fn aliases_count_towards_depth_and_cannot_explode() {
    with_large_stack(|| {
        let text = format!("a: &deep {}\nb: [[*deep]]\n", flow(2046));
        let error = parse(&text, 2048).unwrap_err();
        assert!(error.too_deep, "{error:?}");
        assert_eq!(error.pointer, "/b/0/0");
        assert_eq!(error.message, "the alias `*deep` adds 2046 levels here");
    });

    let mut laughs = String::from("l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let aliases = vec![format!("*l{}", i - 1); 10].join(", ");
        laughs.push_str(&format!("l{i}: &l{i} [{aliases}]\n"));
    }
    let error = parse(&laughs, 2048).unwrap_err();
    assert!(
        error.message.starts_with("anchors and aliases copy"),
        "{error:?}"
    );
}

/// Two errors are placed more precisely than serde_yaml places them (at the
/// start of the mapping, at the anchor): at the repeated key, at the alias.
#[test]
fn a_duplicate_key_and_a_cyclic_alias_are_placed_where_written() {
    let error = parse("a: 1\na: 2\n", 128).unwrap_err();
    assert_eq!(
        (error.pointer.as_str(), error.line, error.column),
        ("/a", 2, 1)
    );
    assert_eq!(serde_yaml_reads("a: 1\na: 2\n"), Err(Some((1, 1))));

    // A repeated key whose value is a collection: the key's line, not the
    // line where the value ends.
    let error = parse("m:\n  k: 1\n  k:\n    - x\n    - y\n", 128).unwrap_err();
    assert_eq!(
        (error.pointer.as_str(), error.line, error.column),
        ("/m/k", 3, 3)
    );

    let error = parse("a: &x [*x]\n", 128).unwrap_err();
    assert_eq!((error.line, error.column), (1, 8));
    assert_eq!(serde_yaml_reads("a: &x [*x]\n"), Err(Some((1, 4))));
}

#[test]
fn an_error_while_a_key_is_read_names_the_mapping() {
    let error = parse("a:\n  b: 1\n  [c: 2\n", 128).unwrap_err();
    assert_eq!(error.pointer, "/a", "{error:?}");
}

/// Each anchor keeps a copy of its node: nested anchors over a large node
/// would cost depth times its size, so the copies count against the budget.
#[test]
fn nested_anchors_cannot_multiply_memory() {
    with_large_stack(|| {
        let leaf = vec!["x"; 1000].join(", ");
        let mut text = format!("[{leaf}]");
        for level in 0..300 {
            text = format!("&a{level} [{text}]");
        }
        let error = parse(&format!("v: {text}\n"), 2048).unwrap_err();
        assert!(
            error.message.starts_with("anchors and aliases copy"),
            "{error:?}"
        );
        // One anchor over the same node is fine.
        let one = format!("v: &a [[{leaf}]]\nw: *a\n");
        assert!(parse(&one, 2048).is_ok());
    });
}

#[test]
fn errors_name_the_node_being_read() {
    let error = parse("a:\n  b: [1, 2\n", 2048).unwrap_err();
    assert_eq!(error.pointer, "/a/b/2");
    assert_eq!(error.line, 3);
    assert_eq!(error.message, "did not find expected ',' or ']'");
    let context = error.context.expect("a context");
    assert_eq!(
        (context.context.as_str(), context.line),
        ("while parsing a flow sequence", 2)
    );

    let error = parse("a:\n  b: 1\n  b: 2\n", 2048).unwrap_err();
    assert_eq!(
        (error.pointer.as_str(), error.line, error.message.as_str()),
        ("/a/b", 3, "duplicate entry with key \"b\"")
    );

    let error = parse("a: &x [*x]\n", 2048).unwrap_err();
    assert_eq!(error.pointer, "/a/0");
    assert_eq!(
        error.message,
        "the alias `*x` is inside the node it names: a YAML cycle"
    );
}

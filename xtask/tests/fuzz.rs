//! The fuzz test of issue 14, small enough for CI: seeded mutations of the real
//! inputs (`specs/`) through the generator in-process. No case may panic,
//! change `--out` when it fails, or fail with an error that names no file of
//! the case. `cargo xtask fuzz N [--seed S]` runs more, and builds a sample of
//! the outputs.

use xtask::fuzz::{run, FuzzOptions};

/// Cases per CI run: about 20 s of a debug build on two cores.
const CASES: u64 = 200;

#[test]
fn seeded_mutations_of_the_real_inputs_fail_cleanly_or_generate() {
    let root = generator::pipeline::workspace_root();
    let work = tempfile::tempdir_in(root.join("target")).unwrap();
    let options = FuzzOptions {
        specs: root.join("specs"),
        seed: 14,
        first: 0,
        cases: CASES,
        check: 0,
        work: work.path().to_path_buf(),
        threads: 2,
        keep: false,
    };
    let report = run(&options).expect("the inputs read");
    assert!(
        report.failures.is_empty(),
        "{} of {} cases broke an invariant:\n{}",
        report.failures.len(),
        report.cases,
        report.failures.join("\n")
    );
    assert_eq!(report.cases, CASES);
    // The mutations reach both outcomes, and every kind of mutation runs.
    assert!(report.generated > 0 && report.rejected > 0, "{report:?}");
    for kind in [
        "delete-key",
        "retype",
        "bad-ref",
        "cyclic-ref",
        "duplicate-operation-id",
        "absurd-name",
        "deep-nesting",
        "huge-enum",
        "path-key",
        "bytes-invalid-utf8",
    ] {
        assert!(
            report.mutations.contains_key(kind),
            "no `{kind}` case: {report:?}"
        );
    }
}

/// A case is its seed and number: the same ones give the same files.
#[test]
fn a_case_is_reproduced_from_its_seed_and_number() {
    let specs = generator::pipeline::workspace_root().join("specs");
    let case = |seed, number| xtask::fuzz::case_files(&specs, seed, number).unwrap();
    assert_eq!(case(14, 3), case(14, 3));
    assert_ne!(case(14, 3).0, case(14, 4).0);
    assert_ne!(case(14, 3).0, case(15, 3).0);
}

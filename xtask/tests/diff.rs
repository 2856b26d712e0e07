//! `cargo xtask diff OLD NEW`: exit codes, formats and errors, on the generator's diff
//! fixture pairs; and the surface review `cargo xtask codegen` prints.

use std::fs;
use std::path::PathBuf;
use std::process::{Command, Output};

fn fixture(case: &str, side: &str) -> PathBuf {
    xtask::project_root().join(format!("generator/tests/fixtures/diff/{case}.{side}.yaml"))
}

fn run_diff(case: &str, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("diff")
        .arg(fixture(case, "old"))
        .arg(fixture(case, "new"))
        .args(extra)
        .output()
        .expect("run the xtask binary")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn fail_on_breaking_exits_1_on_a_breaking_change() {
    let out = run_diff("enum_value_removed", &["--fail-on-breaking"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let text = stdout(&out);
    assert!(
        text.starts_with("API changes: 1 breaking, 0 additive"),
        "{text}"
    );
    assert!(text.contains("value `dog` removed"), "{text}");
    assert!(out.stderr.is_empty(), "{out:?}");
}

#[test]
fn fail_on_breaking_exits_0_on_additive_changes() {
    for case in [
        "enum_value_added",
        "param_added_optional",
        "operation_added",
    ] {
        let out = run_diff(case, &["--fail-on-breaking"]);
        assert_eq!(out.status.code(), Some(0), "{case}: {out:?}");
        assert!(stdout(&out).contains(" 0 breaking, "), "{case}: {out:?}");
    }
}

/// An optional field added to a struct callers build breaks nothing: they build it with
/// `new(required...)` or `..Default::default()`, then set fields.
#[test]
fn optional_fields_added_are_additive() {
    let out = run_diff("field_added_optional", &["--fail-on-breaking"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let text = stdout(&out);
    assert!(
        text.contains("type NewPet (struct): field `age` added: `Option<i32>`\n"),
        "{text}"
    );
    // A required one changes `new`: breaking.
    let out = run_diff("field_added_required", &["--fail-on-breaking"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
}

#[test]
fn breaking_changes_exit_0_without_the_flag() {
    let out = run_diff("operation_removed", &[]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(stdout(&out).contains("operation removed"));
}

#[test]
fn formats() {
    let md = stdout(&run_diff("param_added_required", &["--format", "markdown"]));
    assert!(
        md.starts_with("## API changes: 1 breaking, 0 additive (1 operation)\n"),
        "{md}"
    );
    assert!(md.contains("### Breaking (1)"), "{md}");
    assert!(md.contains("- `list_pets` (`GET /pets`): "), "{md}");

    let json = stdout(&run_diff("param_added_required", &["--format", "json"]));
    assert!(json.contains("\"kind\": \"param-added\""), "{json}");
    assert!(json.contains("\"severity\": \"breaking\""), "{json}");

    let same = stdout(&run_diff("unchanged", &[]));
    assert!(same.starts_with("API surface unchanged\n"), "{same}");
}

#[test]
fn tag_filter_applies_to_both_sides() {
    // No operation has this tag: both surfaces are empty, so nothing changed.
    let out = run_diff(
        "operation_removed",
        &["--tag", "Nope", "--fail-on-breaking"],
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(stdout(&out).starts_with("API surface unchanged"), "{out:?}");
}

#[test]
fn bad_input_is_one_error_line_and_exit_1() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("bad.yaml");
    fs::write(&bad, "openapi: 3.0.1\ninfo: [unclosed\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("diff")
        .arg(fixture("unchanged", "old"))
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("error: "), "{err}");
    assert!(err.contains("bad.yaml"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");

    let missing = tmp.path().join("missing.yaml");
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("diff")
        .arg(&missing)
        .arg(fixture("unchanged", "new"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("error: ") && err.contains("cannot read"),
        "{err}"
    );
}

/// A `surface.json` (as written beside generated code) can stand in for a spec.
#[test]
fn surface_json_is_accepted_as_input() {
    let tmp = tempfile::tempdir().unwrap();
    let old = xtask::review::read_surface(&fixture("enum_value_added", "old"), None).unwrap();
    let path = tmp.path().join("surface.json");
    fs::write(&path, old.to_json()).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("diff")
        .arg(&path)
        .arg(fixture("enum_value_added", "new"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(stdout(&out).contains("value `bird` added"), "{out:?}");
}

/// A JSON OpenAPI document is a spec even when it mentions `surface_format`; a surface of
/// another format is refused with a message naming both formats.
#[test]
fn surface_detection_parses_the_json() {
    let tmp = tempfile::tempdir().unwrap();
    let spec = tmp.path().join("spec.json");
    fs::write(
        &spec,
        r#"{"openapi": "3.0.1",
            "info": {"title": "T", "version": "1", "description": "not a \"surface_format\": 2"},
            "paths": {},
            "components": {"schemas": {"surface_format": {"type": "string"}}}}"#,
    )
    .unwrap();
    let s = xtask::review::read_surface(&spec, None).unwrap();
    assert_eq!(s.title, "T");
    assert!(s.types.contains_key("SurfaceFormat"), "{s:?}");

    let old = tmp.path().join("surface.json");
    fs::write(
        &old,
        r#"{"surface_format": 1, "title": "T", "version": "1", "operations": {}, "types": {}}"#,
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("diff")
        .arg(&old)
        .arg(&spec)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("error: "), "{err}");
    assert!(
        err.contains(&format!(
            "a surface.json of format 1; this generator reads format {}",
            generator::surface::SURFACE_FORMAT
        )),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
}

/// What `cargo xtask codegen` says: no previous surface, an unreadable one, one of another
/// format, or the diff.
#[test]
fn codegen_review_of_previous_surface() {
    use xtask::review::{PreviousSurface, previous_surface, read_surface, review};
    let tmp = tempfile::tempdir().unwrap();
    let new = read_surface(&fixture("field_removed", "new"), None).unwrap();

    let missing = previous_surface(tmp.path());
    assert!(matches!(missing, PreviousSurface::Missing));
    let text = review(missing, &new).render_text();
    assert!(text.contains("no previous surface.json"), "{text}");

    fs::write(tmp.path().join("surface.json"), "{ not json").unwrap();
    let text = review(previous_surface(tmp.path()), &new).render_text();
    assert!(text.contains("unreadable"), "{text}");

    // Written by an older generator, in a shape this one cannot parse: named, not a
    // parse error.
    fs::write(
        tmp.path().join("surface.json"),
        r#"{"surface_format": 1, "operations": [], "types": null}"#,
    )
    .unwrap();
    let previous = previous_surface(tmp.path());
    assert!(
        matches!(previous, PreviousSurface::OtherFormat(1)),
        "{previous:?}"
    );
    let text = review(previous, &new).render_text();
    assert_eq!(
        text,
        format!(
            "previous surface.json has format 1, this generator writes {}: no API change summary\n",
            generator::surface::SURFACE_FORMAT
        )
    );

    let old = read_surface(&fixture("field_removed", "old"), None).unwrap();
    fs::write(tmp.path().join("surface.json"), old.to_json()).unwrap();
    let text = review(previous_surface(tmp.path()), &new).render_text();
    assert!(text.contains("field `tag` removed"), "{text}");

    fs::write(tmp.path().join("surface.json"), new.to_json()).unwrap();
    let text = review(previous_surface(tmp.path()), &new).render_text();
    assert_eq!(text, "API surface unchanged\n");
}

/// `cargo xtask codegen` against a scratch project: the first run has no previous
/// surface, a spec change is summarised after writing, and a rerun finds nothing.
#[test]
fn codegen_summarises_the_api_change_after_writing() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let spec = root.join(xtask::CODEGEN_SPEC);
    fs::create_dir_all(spec.parent().unwrap()).unwrap();

    fs::copy(fixture("enum_value_removed", "old"), &spec).unwrap();
    let (_, written, review) = xtask::codegen_reviewed(root).unwrap();
    assert!(
        matches!(review, xtask::SurfaceReview::NoPrevious),
        "{review:?}"
    );
    assert!(written.written.iter().any(|f| f == "surface.json"));
    let surface = root.join(xtask::CODEGEN_DIR).join("surface.json");
    let hash = generator::load::sha256_hex(&fs::read_to_string(&spec).unwrap());
    assert!(fs::read_to_string(&surface).unwrap().contains(&hash));

    fs::copy(fixture("enum_value_removed", "new"), &spec).unwrap();
    let (_, written, review) = xtask::codegen_reviewed(root).unwrap();
    let xtask::SurfaceReview::Changes(report) = &review else {
        panic!("{review:?}")
    };
    assert!(report.has_breaking());
    assert!(
        review.render_text().contains("value `dog` removed"),
        "{}",
        review.render_text()
    );
    // The hash in every header changed, so every file was rewritten.
    assert!(written.written.iter().any(|f| f == "models/pet_kind.rs"));
    assert!(xtask::codegen_check(root).unwrap().is_none());

    let (_, written, review) = xtask::codegen_reviewed(root).unwrap();
    assert!(written.written.is_empty());
    assert_eq!(review.render_text(), "API surface unchanged\n");
}

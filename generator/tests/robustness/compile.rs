//! "For a sample, output that compiles": generated documents as standalone crates,
//! linted with `cargo clippy -- -D warnings`.

use super::check::{self, Pass};
use super::known;
use super::strategies::Case;
use proptest::strategy::{BoxedStrategy, Strategy, ValueTree};
use proptest::test_runner::{Config, RngSeed, TestRunner};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Where dependencies are built once for every sample: `$CARGO_TARGET_DIR`, or the
/// workspace's `target/`.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"))
}

/// The sample crates' parent directory (under the target directory's `tmp/`).
fn crates_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("robustness-crates")
}

pub struct Lint {
    pub ok: bool,
    /// The compiler's output (stderr).
    pub output: String,
}

/// Generate `text` and write it as a standalone crate `crate_name` in `dir`.
///
/// Every crate linted against the shared target directory needs its own name: two root
/// packages with the same name and version share one fingerprint there, so cargo takes
/// the second for fresh when the first's files have not changed, and reports success
/// without compiling it.
pub fn write_crate(
    dir: &Path,
    crate_name: &str,
    file: &str,
    text: &str,
) -> Result<(), generator::Error> {
    // On a thread with `cargo xtask`'s main-thread stack (8 MiB), not the test
    // harness's 2 MiB: the case ran that way in its child process.
    let (file_owned, text_owned) = (file.to_string(), text.to_string());
    let generated = std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(move || {
            let spec = generator::load(&file_owned, &text_owned)?;
            generator::generate(&spec, &generator::Settings::default())
        })
        .expect("spawn")
        .join()
        .expect("generation panicked")?;
    let files =
        generator::standalone_crate(&generated, crate_name, &generator::Settings::default());
    let _ = std::fs::remove_dir_all(dir);
    for (rel, content) in &files {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, content).unwrap();
    }
    std::fs::write(dir.join("input.txt"), text).unwrap();
    Ok(())
}

/// `cargo clippy --quiet -- -D warnings` in `dir`, dependencies in the shared target.
pub fn clippy(dir: &Path) -> Lint {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let out = Command::new(cargo)
        .args(["clippy", "--quiet", "--", "-D", "warnings"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target_dir())
        .env("CARGO_TERM_COLOR", "never")
        .output()
        .expect("run cargo clippy");
    Lint {
        ok: out.status.success(),
        output: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The first `n` diagnostics of a compiler output, a few lines each.
pub fn first_errors(output: &str, n: usize) -> String {
    let mut blocks: Vec<Vec<&str>> = Vec::new();
    for line in output.lines() {
        if line.starts_with("error") || line.starts_with("warning") {
            if line.starts_with("error: could not compile") || line.contains("warnings emitted") {
                continue;
            }
            blocks.push(vec![line]);
        } else if let Some(b) = blocks.last_mut()
            && b.len() < 8
        {
            b.push(line);
        }
    }
    blocks
        .iter()
        .take(n)
        .map(|b| b.join("\n"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Sample `n` documents that generate, lint each as a crate; fail on any failure no
/// known-open compile class explains.
pub fn samples(n: usize, strategy: &BoxedStrategy<Case>) {
    let seed = std::env::var("PROPTEST_RNG_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0xC0FF_EE00);
    let mut runner = TestRunner::new(Config {
        rng_seed: RngSeed::Fixed(seed),
        failure_persistence: None,
        ..Config::default()
    });
    let mut picked: Vec<Case> = Vec::new();
    let mut attempts = 0;
    while picked.len() < n && attempts < n * 30 {
        attempts += 1;
        let case = strategy.new_tree(&mut runner).unwrap().current();
        if known::skipped(&case.doc).is_some() {
            continue;
        }
        // In a child process first: a case that hangs is never generated in here.
        if let (Ok(Pass::Generated(_)), _) =
            check::run(case.file(), &case.text(), check::time_limit())
        {
            picked.push(case);
        }
    }
    let root = crates_dir();
    let mut unexplained = Vec::new();
    let mut report = Vec::new();
    for (i, case) in picked.iter().enumerate() {
        let dir = root.join(format!("sample_{i:03}"));
        write_crate(
            &dir,
            &format!("sample_crate_{i:03}"),
            case.file(),
            &case.text(),
        )
        .expect("generated before");
        let lint = clippy(&dir);
        let line = if lint.ok {
            "ok".to_string()
        } else {
            match known::explain_diagnostics(&case.doc, &lint.output) {
                Ok(classes) => format!("known-open {}", classes.join(", ")),
                Err(errors) => {
                    let first: Vec<String> = errors
                        .iter()
                        .take(3)
                        .map(|e| e.lines().take(12).collect::<Vec<_>>().join("\n"))
                        .collect();
                    unexplained.push(format!(
                        "{} ({}):\n{}\n--- input ---\n{}",
                        dir.display(),
                        case.label.chars().take(300).collect::<String>(),
                        first.join("\n"),
                        case.yaml_text()
                    ));
                    "FAILED".to_string()
                }
            }
        };
        eprintln!(
            "compile sample {i}: {line}: {}",
            case.label.chars().take(150).collect::<String>()
        );
        report.push(line);
    }
    eprintln!(
        "compile samples: {} linted ({} attempts), {} ok, {} known-open, {} unexplained",
        picked.len(),
        attempts,
        report.iter().filter(|l| *l == "ok").count(),
        report.iter().filter(|l| l.starts_with("known")).count(),
        unexplained.len()
    );
    assert!(
        unexplained.is_empty(),
        "{} generated crates fail clippy -D warnings for no known-open reason:\n\n{}",
        unexplained.len(),
        unexplained.join("\n\n")
    );
}

/// Each compile reproducer: while its class is known-open it must still fail clippy
/// as the class says; once fixed it must pass.
pub fn reproducers(files: &[(String, PathBuf, serde_json::Value)]) {
    let mut problems = Vec::new();
    for k in known::KNOWN_OPEN
        .iter()
        .filter(|k| k.stage == known::Stage::Compile)
    {
        if !files.iter().any(|(n, _, _)| super::class_of(n) == k.name) {
            problems.push(format!("{}: no reproducer file", k.name));
        }
    }
    let root = crates_dir();
    for (name, path, doc) in files {
        let text = std::fs::read_to_string(path).unwrap();
        let dir = root.join(format!("reproducer_{name}"));
        let crate_name = format!("reproducer_{}", name.replace("--", "-").replace('-', "_"));
        if let Err(e) = write_crate(&dir, &crate_name, "reproducer.yaml", &text) {
            problems.push(format!("{name}: does not generate: {e}"));
            continue;
        }
        let lint = clippy(&dir);
        let status = match known::entry(super::class_of(name)) {
            Some(k)
                if !lint.ok
                    && known::explain_diagnostics(doc, &lint.output)
                        .is_ok_and(|classes| classes.contains(&k.name)) =>
            {
                eprintln!(
                    "compile reproducer {name}: fails as known (issue {})",
                    k.issue
                );
                continue;
            }
            Some(_) => {
                problems.push(format!(
                    "{name}: known-open, but the reproducer no longer fails that way; if fixed, \
                     delete its entry from KNOWN_OPEN. Output:\n{}",
                    first_errors(&lint.output, 3)
                ));
                "no longer fails as known"
            }
            None if lint.ok => "ok",
            // A fixed class's reproducer may still show another class that is open.
            None if known::explain_diagnostics(doc, &lint.output).is_ok() => {
                "fails only as other open classes"
            }
            None => {
                problems.push(format!(
                    "{name}: fixed class fails again:\n{}",
                    first_errors(&lint.output, 3)
                ));
                "FAILED"
            }
        };
        eprintln!("compile reproducer {name}: {status}");
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

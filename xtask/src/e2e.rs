//! `cargo xtask e2e`: the generated client against Prism, the OpenAPI mock and
//! validation server, once per spec.
//!
//! Node.js and Prism are installed first when missing (`apt-get`, `npm ci`), and the e2e
//! test binary is built (`cargo test -p generated-client --test e2e --features test-util
//! --no-run`, which names the binary) before any mock starts. Then, for each spec: write a copy without
//! the top-level `x-webhooks` section (Prism refuses documents whose `$ref`s point at
//! missing files) into a fresh temporary directory, start `prism mock --errors` on a
//! free loopback port, wait until `GET /sources` answers, and run each `--ignored` test
//! of that binary in turn (the binary itself, not through `cargo`, so that stopping a
//! test that runs too long stops the test) with the mock's URL in `E2E_BASE_URL`. Prism is stopped at the end, also on errors and panics ([`Prism`]
//! kills it on drop); if it dies during a test, the crash is shown with the end of its
//! log and the next test gets a fresh Prism.
//!
//! Every wait is bounded; the exit code is non-zero when anything failed.

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// The specs served when no `--spec` is given, relative to the repository root: the
/// project's own document and the current real beta document (read in place, never
/// copied into the repository).
pub const DEFAULT_SPECS: [&str; 2] = [
    "specs/sailpoint-beta.yaml",
    "../shared/specs/sailpoint-beta/deref-sailpoint-api.beta.2026-08-04.yaml",
];

/// Where Prism's log of each run is kept, relative to the repository root.
const LOG_DIR: &str = "target/e2e";
/// The route polled until Prism answers: every spec the e2e tests understand has it.
const READY_PATH: &str = "/sources";
/// Pause between two readiness polls.
const POLL_INTERVAL: Duration = Duration::from_millis(100);
/// Attempts at starting Prism when the free port was taken in between.
const PORT_ATTEMPTS: u32 = 3;

/// Arguments of `cargo xtask e2e`.
#[derive(Debug, Clone, clap::Args)]
pub struct E2eArgs {
    /// An OpenAPI document for Prism to serve (repeatable). Default: specs/sailpoint-beta.yaml
    /// and ../shared/specs/sailpoint-beta/deref-sailpoint-api.beta.2026-08-04.yaml.
    #[arg(long = "spec", value_name = "FILE")]
    pub specs: Vec<PathBuf>,
    /// Seeded `Prefer: dynamic=true` runs over every operation.
    #[arg(long, value_name = "N", default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..))]
    pub dynamic_runs: u32,
    /// Longest wait, in seconds, for Prism to answer after it was started.
    #[arg(long, value_name = "SECS", default_value_t = 60)]
    pub ready_timeout: u64,
    /// Longest run, in seconds, of one e2e test.
    #[arg(long, value_name = "SECS", default_value_t = 900)]
    pub test_timeout: u64,
}

/// `cargo xtask e2e`. Prints its progress and a summary; never panics on bad input.
pub fn run(args: &E2eArgs) -> ExitCode {
    let root = xtask::project_root();
    match run_all(&root, args) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `Ok(false)` when a spec's run failed, `Err` when nothing could be run.
fn run_all(root: &Path, args: &E2eArgs) -> Result<bool, String> {
    let started = Instant::now();
    let specs = resolve_specs(root, &args.specs)?;
    step("tools");
    ensure_node()?;
    let prism_version = ensure_prism(root)?;
    step("build the e2e tests");
    let binary = build_tests(root)?;
    let tests = list_tests(&binary)?;
    println!("{} tests: {}", tests.len(), tests.join(", "));

    let mut outcomes = Vec::new();
    for spec in &specs {
        step(&format!("{} against Prism {prism_version}", spec.display));
        let spec_started = Instant::now();
        let result = run_spec(root, &binary, spec, &tests, args);
        if let Err(e) = &result {
            println!("error: {}: {e}", spec.display);
        }
        outcomes.push((spec, result, spec_started.elapsed()));
    }

    step("summary");
    for (spec, result, elapsed) in &outcomes {
        let secs = elapsed.as_secs_f64();
        match result {
            Ok(()) => println!("ok     {} ({secs:.1} s)", spec.display),
            Err(e) => println!(
                "FAILED {} ({secs:.1} s): {}",
                spec.display,
                e.lines().next().unwrap_or_default()
            ),
        }
    }
    let all_ok = outcomes.iter().all(|(_, result, _)| result.is_ok());
    println!(
        "e2e {} in {:.1} s (Prism {prism_version}; logs in {LOG_DIR}/)",
        if all_ok { "passed" } else { "FAILED" },
        started.elapsed().as_secs_f64()
    );
    Ok(all_ok)
}

fn step(title: &str) {
    println!("\n=== e2e: {title} ===");
}

// ---------------------------------------------------------------------------------------
// Specs
// ---------------------------------------------------------------------------------------

/// A spec to serve.
#[derive(Debug, Clone)]
struct SpecFile {
    /// The file itself.
    path: PathBuf,
    /// How it is named in the output.
    display: String,
    /// Its file name: names the run in logs and in `generated-client/tests/spec_defects.yaml`.
    name: String,
}

/// The given specs (relative to the current directory), or the defaults (relative to the
/// repository root). Every file must exist.
fn resolve_specs(root: &Path, given: &[PathBuf]) -> Result<Vec<SpecFile>, String> {
    let files: Vec<(PathBuf, String)> = if given.is_empty() {
        DEFAULT_SPECS
            .iter()
            .map(|s| (root.join(s), (*s).to_string()))
            .collect()
    } else {
        given
            .iter()
            .map(|p| (p.clone(), p.display().to_string()))
            .collect()
    };
    let mut specs = Vec::new();
    for (path, display) in files {
        if !path.is_file() {
            return Err(format!("{display}: no such file"));
        }
        let path = std::path::absolute(&path).map_err(|e| format!("{display}: {e}"))?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| display.clone());
        specs.push(SpecFile {
            path,
            display,
            name,
        });
    }
    Ok(specs)
}

/// Write `spec` to `out` without its top-level `x-webhooks` section, which Prism cannot
/// load (its `$ref`s point at files that are not there). Everything else is kept.
/// Returns whether the section was there.
pub(crate) fn write_served_copy(spec: &Path, out: &Path) -> Result<bool, String> {
    let text = fs::read_to_string(spec).map_err(|e| format!("cannot read: {e}"))?;
    let mut doc: serde_yaml::Value =
        serde_yaml::from_str(&text).map_err(|e| format!("not YAML/JSON: {e}"))?;
    let map = doc
        .as_mapping_mut()
        .ok_or("the document is not a mapping")?;
    let removed = map.remove("x-webhooks").is_some();
    let yaml = serde_yaml::to_string(&doc).map_err(|e| format!("cannot re-encode: {e}"))?;
    // The copy must say exactly what the original says (YAML 1.1-looking strings such as
    // 'no' must stay strings, for instance).
    let reread: serde_yaml::Value =
        serde_yaml::from_str(&yaml).map_err(|e| format!("the copy does not parse: {e}"))?;
    if reread != doc {
        return Err("the copy differs from the original beyond x-webhooks".into());
    }
    fs::write(out, yaml).map_err(|e| format!("{}: cannot write: {e}", out.display()))?;
    Ok(removed)
}

/// A new directory with an unpredictable name under the system's temporary directory,
/// created for this process only and deleted on drop.
pub(crate) fn temp_dir(label: &str) -> Result<tempfile::TempDir, String> {
    let safe: String = label
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    tempfile::Builder::new()
        .prefix(&format!("xtask-e2e-{safe}-"))
        .tempdir()
        .map_err(|e| format!("cannot create a temporary directory: {e}"))
}

// ---------------------------------------------------------------------------------------
// Tools: Node.js and Prism
// ---------------------------------------------------------------------------------------

/// The first line of `program --version`, or `None` when it cannot be run.
fn version_of(program: &str) -> Option<String> {
    let out = Command::new(program)
        .arg("--version")
        .stdin(Stdio::null())
        .output()
        .ok()?;
    out.status.success().then(|| {
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .next()
            .unwrap_or("")
            .trim()
            .to_string()
    })
}

/// Make sure `node` and `npm` can be run; install them with the system package manager
/// (`apt-get`) when `node` is absent.
pub(crate) fn ensure_node() -> Result<(), String> {
    if version_of("node").is_none() {
        println!("node not found: installing Node.js and npm with apt-get");
        if version_of("apt-get").is_none() {
            return Err(
                "node not found and no apt-get to install it: install Node.js (with npm) and re-run"
                    .into(),
            );
        }
        let script = "apt-get update && apt-get install -y nodejs npm";
        let mut cmd = if is_root() {
            let mut c = Command::new("sh");
            c.args(["-c", script]);
            c
        } else {
            let mut c = Command::new("sudo");
            c.args(["sh", "-c", script]);
            c
        };
        cmd.env("DEBIAN_FRONTEND", "noninteractive");
        let status = cmd
            .status()
            .map_err(|e| format!("cannot run apt-get: {e}"))?;
        if !status.success() {
            return Err(format!("`{script}` failed ({status})"));
        }
    }
    let node = version_of("node").ok_or("node still cannot be run after installing it")?;
    let npm = version_of("npm").ok_or("npm not found: install npm (it comes with Node.js)")?;
    println!("node {node}, npm {npm}");
    if !node_can_run_prism(&node) {
        return Err(format!(
            "node {node} is too old for the pinned Prism: its data faker (@faker-js/faker 10) is \
             an ES module that Prism loads with require(), which needs Node.js {MIN_NODE}. \
             Install a newer Node.js (for example from https://deb.nodesource.com) and re-run"
        ));
    }
    Ok(())
}

/// The Node.js versions that can `require()` an ES module, as `@faker-js/faker` 10 (a
/// dependency of Prism 5.16) declares in its `engines`.
const MIN_NODE: &str = "^20.19, ^22.13, ^23.5 or >= 24";

fn node_can_run_prism(version: &str) -> bool {
    let mut parts = version
        .trim_start_matches('v')
        .split('.')
        .map(|p| p.parse::<u32>().unwrap_or(0));
    let (major, minor) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    match major {
        20 => minor >= 19,
        22 => minor >= 13,
        23 => minor >= 5,
        m => m >= 24,
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// The version pinned in `package.json` for `@stoplight/prism-cli`.
fn pinned_prism(root: &Path) -> Result<String, String> {
    let path = root.join("package.json");
    let text = fs::read_to_string(&path).map_err(|e| format!("package.json: cannot read: {e}"))?;
    let json: serde_yaml::Value =
        serde_yaml::from_str(&text).map_err(|e| format!("package.json: {e}"))?;
    json["devDependencies"]["@stoplight/prism-cli"]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| "package.json: no devDependencies.@stoplight/prism-cli".into())
}

/// The version of the installed Prism, if any.
fn installed_prism(root: &Path) -> Option<String> {
    if !prism_bin(root).exists() {
        return None;
    }
    let text =
        fs::read_to_string(root.join("node_modules/@stoplight/prism-cli/package.json")).ok()?;
    let json: serde_yaml::Value = serde_yaml::from_str(&text).ok()?;
    json["version"].as_str().map(str::to_string)
}

fn prism_bin(root: &Path) -> PathBuf {
    root.join("node_modules/.bin/prism")
}

/// Install Prism from `package-lock.json` with `npm ci` unless the pinned version is
/// already there. Returns the version.
pub(crate) fn ensure_prism(root: &Path) -> Result<String, String> {
    let pinned = pinned_prism(root)?;
    match installed_prism(root) {
        Some(v) if v == pinned => {}
        installed => {
            match installed {
                None => println!("Prism not installed: npm ci"),
                Some(v) => println!("Prism {v} installed, {pinned} pinned: npm ci"),
            }
            let status = Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund"])
                // @scarf/scarf, a dependency of Prism, reports installs unless told not to.
                .env("SCARF_ANALYTICS", "false")
                .current_dir(root)
                .stdin(Stdio::null())
                .status()
                .map_err(|e| format!("cannot run npm: {e}"))?;
            if !status.success() {
                return Err(format!("npm ci failed ({status})"));
            }
        }
    }
    match installed_prism(root) {
        Some(v) if v == pinned => {
            println!("Prism {v} ({})", prism_bin(root).display());
            Ok(v)
        }
        other => Err(format!(
            "after npm ci: expected Prism {pinned} in node_modules, found {other:?}"
        )),
    }
}

// ---------------------------------------------------------------------------------------
// The test binary
// ---------------------------------------------------------------------------------------

pub(crate) fn cargo() -> std::ffi::OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

/// The e2e test binary, as built by [`build_tests`].
#[derive(Debug, Clone, PartialEq, Eq)]
struct TestBinary {
    /// The executable.
    path: PathBuf,
    /// The package directory, where `cargo test` would run it.
    dir: PathBuf,
}

impl TestBinary {
    /// The binary with `args`, run as `cargo test` would (in the package directory).
    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(&self.path);
        cmd.args(["--ignored"])
            .args(args)
            .current_dir(&self.dir)
            .stdin(Stdio::null());
        cmd
    }
}

/// Compile the e2e tests before Prism starts, so a slow build does not count against
/// any wait; cargo's JSON messages name the test binary.
fn build_tests(root: &Path) -> Result<TestBinary, String> {
    let out = Command::new(cargo())
        .args([
            "test",
            "-p",
            "generated-client",
            "--test",
            "e2e",
            "--features",
            "test-util",
            "--no-run",
        ])
        .arg("--message-format=json-render-diagnostics")
        .current_dir(root)
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !out.status.success() {
        return Err(format!("building the e2e tests failed ({})", out.status));
    }
    test_binary(&String::from_utf8_lossy(&out.stdout))
        .ok_or_else(|| "cargo built the e2e tests but named no test executable".to_string())
}

/// The `e2e` test executable among cargo's JSON messages (one per line).
fn test_binary(messages: &str) -> Option<TestBinary> {
    messages.lines().find_map(|line| {
        let message: serde_json::Value = serde_json::from_str(line).ok()?;
        let target = &message["target"];
        let is_e2e_test = message["reason"] == "compiler-artifact"
            && target["name"] == "e2e"
            && target["kind"]
                .as_array()
                .is_some_and(|kinds| kinds.iter().any(|k| k == "test"));
        if !is_e2e_test {
            return None;
        }
        let path = PathBuf::from(message["executable"].as_str()?);
        let dir = Path::new(message["manifest_path"].as_str()?)
            .parent()?
            .to_path_buf();
        Some(TestBinary { path, dir })
    })
}

/// The names of the e2e tests (all `#[ignore]`d: they need Prism).
fn list_tests(binary: &TestBinary) -> Result<Vec<String>, String> {
    let out = binary
        .command(&["--list"])
        .output()
        .map_err(|e| format!("cannot run {}: {e}", binary.path.display()))?;
    if !out.status.success() {
        return Err(format!(
            "listing the e2e tests failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let mut tests: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.strip_suffix(": test"))
        .map(str::to_string)
        .collect();
    tests.sort();
    if tests.is_empty() {
        return Err("the e2e test binary lists no tests".into());
    }
    Ok(tests)
}

/// Run one e2e test against the mock at `base_url`, killed after `args.test_timeout`.
fn run_test(
    binary: &TestBinary,
    test: &str,
    base_url: &str,
    served: &Path,
    spec: &SpecFile,
    args: &E2eArgs,
) -> Result<(), String> {
    let mut child = binary
        .command(&["--exact", test, "--show-output", "--test-threads", "1"])
        .env("E2E_BASE_URL", base_url)
        .env("E2E_SPEC", served)
        .env("E2E_SPEC_NAME", &spec.name)
        .env("E2E_DYNAMIC_RUNS", args.dynamic_runs.to_string())
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", binary.path.display()))?;
    let timeout = Duration::from_secs(args.test_timeout);
    match wait_with_timeout(&mut child, timeout)? {
        Some(status) if status.success() => Ok(()),
        Some(status) => Err(format!("{test} failed ({status})")),
        None => {
            // The test process itself (it starts no processes of its own).
            let _ = child.kill();
            let _ = child.wait();
            Err(format!(
                "{test} did not finish within {} s and was stopped",
                timeout.as_secs()
            ))
        }
    }
}

/// Wait for `child` to exit, at most `timeout`; `None` when it is still running.
pub(crate) fn wait_with_timeout(
    child: &mut Child,
    timeout: Duration,
) -> Result<Option<ExitStatus>, String> {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            return Ok(Some(status));
        }
        if Instant::now() >= deadline {
            return Ok(None);
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

// ---------------------------------------------------------------------------------------
// Prism
// ---------------------------------------------------------------------------------------

/// A running `prism mock`, killed when dropped (normal end, error or panic).
pub(crate) struct Prism {
    child: Child,
    port: u16,
    log: PathBuf,
    /// Where this process's part of the log starts.
    log_offset: u64,
}

impl Drop for Prism {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

impl Prism {
    pub(crate) fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Start Prism on `port`, appending to `log`.
    fn start(
        root: &Path,
        served: &Path,
        port: u16,
        log: &Path,
        serve: Serve,
    ) -> Result<Prism, String> {
        let file = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .map_err(|e| format!("{}: {e}", log.display()))?;
        let log_offset = file.metadata().map(|m| m.len()).unwrap_or(0);
        let file2 = file.try_clone().map_err(|e| e.to_string())?;
        let mut command = Command::new(prism_bin(root));
        command
            .args(["mock", "-h", "127.0.0.1", "-p"])
            .arg(port.to_string());
        if serve.errors {
            // Requests (and responses) that break the spec get an error answer with an
            // `sl-violations` header, instead of a warning in the log only.
            command.arg("--errors");
        }
        let child = command
            .arg(served)
            .current_dir(root)
            .env("FORCE_COLOR", "0")
            .env("SCARF_ANALYTICS", "false")
            .stdin(Stdio::null())
            .stdout(Stdio::from(file))
            .stderr(Stdio::from(file2))
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", prism_bin(root).display()))?;
        Ok(Prism {
            child,
            port,
            log: log.to_path_buf(),
            log_offset,
        })
    }

    /// The last `lines` lines this process wrote to the log.
    fn own_log_tail(&self, lines: usize) -> String {
        let text = fs::read(&self.log).unwrap_or_default();
        let own = text.get(self.log_offset as usize..).unwrap_or_default();
        let own = String::from_utf8_lossy(own);
        let all: Vec<&str> = own.lines().collect();
        all[all.len().saturating_sub(lines)..].join("\n")
    }

    /// If Prism has exited, say so, with the last request it received and the end of its
    /// log. Returns whether it exited.
    pub(crate) fn report_exit(&mut self) -> bool {
        let Ok(Some(status)) = self.child.try_wait() else {
            return false;
        };
        let tail = self.own_log_tail(400);
        let last_request = tail
            .lines()
            .rev()
            .find(|l| l.contains("Request received"))
            .unwrap_or("(none logged)")
            .trim()
            .to_string();
        let end: Vec<&str> = tail.lines().collect();
        println!(
            "Prism exited while the tests ran ({status}). Last request it received:\n  {last_request}\nThe end of its log:\n{}",
            end[end.len().saturating_sub(25)..].join("\n")
        );
        true
    }

    /// Poll `serve.ready_path` until Prism answers, it exits, or `timeout` passes.
    fn wait_ready(&mut self, timeout: Duration, serve: Serve) -> Result<Duration, StartError> {
        let started = Instant::now();
        let deadline = started + timeout;
        loop {
            if let Some(status) = self
                .child
                .try_wait()
                .map_err(|e| StartError::Other(e.to_string()))?
            {
                let log = self.own_log_tail(40);
                return Err(if log.contains("EADDRINUSE") {
                    StartError::PortTaken
                } else {
                    StartError::Other(format!(
                        "Prism exited ({status}) before answering; its log:\n{log}"
                    ))
                });
            }
            let path = serve.ready_path.unwrap_or("/");
            match probe(self.port, path) {
                Ok(404) if serve.ready_path.is_some() => {
                    return Err(StartError::Other(format!(
                        "Prism answers 404 for GET {path}: the spec has no such route"
                    )));
                }
                Ok(_) => return Ok(started.elapsed()),
                Err(last) if Instant::now() >= deadline => {
                    return Err(StartError::Other(format!(
                        "Prism did not answer GET {path} within {} s (last attempt: {last}); its log:\n{}",
                        timeout.as_secs(),
                        self.own_log_tail(40)
                    )));
                }
                Err(_) => {}
            }
            std::thread::sleep(POLL_INTERVAL);
        }
    }
}

enum StartError {
    /// Another process took the port between choosing it and Prism binding it.
    PortTaken,
    Other(String),
}

/// A free loopback port: bind port 0 and let the listener go.
fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .map_err(|e| format!("cannot find a free port: {e}"))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| e.to_string())
}

/// One `GET {path}` with a bearer token; the status code of the answer.
fn probe(port: u16, path: &str) -> Result<u16, String> {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let mut stream =
        TcpStream::connect_timeout(&addr, Duration::from_secs(1)).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .map_err(|e| e.to_string())?;
    stream
        .set_write_timeout(Some(Duration::from_secs(2)))
        .map_err(|e| e.to_string())?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer e2e-ready\r\nAccept: application/json\r\nConnection: close\r\n\r\n"
    )
    .map_err(|e| e.to_string())?;
    let mut line = String::new();
    BufReader::new(&mut stream)
        .read_line(&mut line)
        .map_err(|e| e.to_string())?;
    // "HTTP/1.1 200 OK"
    line.split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| format!("not an HTTP answer: {line:?}"))
}

/// How Prism serves a document.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Serve {
    /// `--errors`: requests (and responses) that break the document get error answers.
    pub errors: bool,
    /// Polled until it answers, and must not be a 404; `None`: any answer on `/`.
    pub ready_path: Option<&'static str>,
    /// Longest wait for the first answer.
    pub ready_timeout: Duration,
}

/// Start Prism for `served` and wait until it answers, trying another port when the
/// chosen one was taken in between.
pub(crate) fn start_prism(
    root: &Path,
    served: &Path,
    log: &Path,
    serve: Serve,
) -> Result<Prism, String> {
    for _ in 0..PORT_ATTEMPTS {
        let port = free_port()?;
        let mut prism = Prism::start(root, served, port, log, serve)?;
        match prism.wait_ready(serve.ready_timeout, serve) {
            Ok(waited) => {
                println!(
                    "Prism listening on {} (ready after {:.1} s; log: {})",
                    prism.base_url(),
                    waited.as_secs_f64(),
                    display_relative(root, log)
                );
                return Ok(prism);
            }
            Err(StartError::PortTaken) => {
                println!("port {port} was taken before Prism bound it; trying another");
            }
            Err(StartError::Other(e)) => return Err(e),
        }
    }
    Err(format!("no free port after {PORT_ATTEMPTS} attempts"))
}

/// Serve one spec and run each e2e test against it. The tests share one Prism; when it
/// dies during a test (it has crashed on some requests), the crash is reported and the
/// next test gets a fresh one.
fn run_spec(
    root: &Path,
    binary: &TestBinary,
    spec: &SpecFile,
    tests: &[String],
    args: &E2eArgs,
) -> Result<(), String> {
    let tmp = temp_dir(&spec.name)?;
    let served = tmp.path().join(&spec.name);
    let started = Instant::now();
    let removed = write_served_copy(&spec.path, &served)?;
    println!(
        "served copy{}: {} ({:.1} s)",
        if removed { " without x-webhooks" } else { "" },
        served.display(),
        started.elapsed().as_secs_f64()
    );

    let log_dir = root.join(LOG_DIR);
    fs::create_dir_all(&log_dir).map_err(|e| format!("{}: {e}", log_dir.display()))?;
    let log = log_dir.join(format!("{}.prism.log", spec.name));
    fs::write(&log, "").map_err(|e| format!("{}: {e}", log.display()))?;

    let mut prism: Option<Prism> = None;
    let mut failed = Vec::new();
    for test in tests {
        let running = match &mut prism {
            Some(p) => p,
            None => prism.insert(start_prism(
                root,
                &served,
                &log,
                Serve {
                    errors: true,
                    ready_path: Some(READY_PATH),
                    ready_timeout: Duration::from_secs(args.ready_timeout),
                },
            )?),
        };
        println!("\n--- {test} ({})", spec.name);
        let result = run_test(binary, test, &running.base_url(), &served, spec, args);
        if running.report_exit() {
            prism = None;
        }
        if let Err(e) = result {
            println!("{e}");
            failed.push(test.as_str());
        }
    }
    drop(prism);
    if failed.is_empty() {
        Ok(())
    } else {
        println!("Prism's log: {}", display_relative(root, &log));
        Err(format!(
            "{} of {} e2e tests failed: {}",
            failed.len(),
            tests.len(),
            failed.join(", ")
        ))
    }
}

pub(crate) fn display_relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_versions_that_can_run_prism() {
        for ok in [
            "v20.19.0", "v20.20.2", "v22.13.1", "v23.5.0", "v24.0.0", "v25.1.0",
        ] {
            assert!(node_can_run_prism(ok), "{ok}");
        }
        for old in [
            "v18.20.4", "v20.18.3", "v21.7.3", "v22.12.0", "v23.4.0", "garbage",
        ] {
            assert!(!node_can_run_prism(old), "{old}");
        }
    }

    #[test]
    fn served_copy_drops_only_x_webhooks() {
        let dir = temp_dir("unit-test").unwrap();
        let spec = dir.path().join("in.yaml");
        let out = dir.path().join("out.yaml");
        fs::write(
            &spec,
            "openapi: 3.0.1\npaths:\n  /a:\n    get:\n      responses:\n        200:\n          description: ok\nx-webhooks:\n  X:\n    $ref: ../missing.yaml\ncomponents:\n  schemas:\n    L:\n      enum: ['no', 'yes', 'null']\n",
        )
        .unwrap();
        assert!(write_served_copy(&spec, &out).unwrap());
        let written: serde_yaml::Value =
            serde_yaml::from_str(&fs::read_to_string(&out).unwrap()).unwrap();
        let mut expected: serde_yaml::Value =
            serde_yaml::from_str(&fs::read_to_string(&spec).unwrap()).unwrap();
        expected.as_mapping_mut().unwrap().remove("x-webhooks");
        assert_eq!(written, expected);
        // Strings that YAML 1.1 would read as booleans or null stay strings.
        assert_eq!(
            written["components"]["schemas"]["L"]["enum"][0].as_str(),
            Some("no")
        );
        // Without the section, the copy says so.
        assert!(!write_served_copy(&out, &dir.path().join("again.yaml")).unwrap());
    }

    #[test]
    fn temporary_directories_are_unpredictable_and_removed() {
        let a = temp_dir("spec.yaml").unwrap();
        let b = temp_dir("spec.yaml").unwrap();
        assert_ne!(a.path(), b.path());
        let name = a.path().file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.starts_with("xtask-e2e-spec-yaml-"), "{name}");
        let path = a.path().to_path_buf();
        drop(a);
        assert!(!path.exists());
    }

    #[test]
    fn the_test_binary_is_found_in_cargos_messages() {
        let messages = [
            r#"{"reason":"compiler-artifact","target":{"kind":["lib"],"name":"generated_client"},"manifest_path":"/r/generated-client/Cargo.toml","executable":null}"#,
            r#"{"reason":"compiler-artifact","target":{"kind":["test"],"name":"examples"},"manifest_path":"/r/generated-client/Cargo.toml","executable":"/r/target/debug/deps/examples-1"}"#,
            "not json",
            r#"{"reason":"compiler-artifact","target":{"kind":["test"],"name":"e2e"},"manifest_path":"/r/generated-client/Cargo.toml","executable":"/r/target/debug/deps/e2e-0123abcd"}"#,
            r#"{"reason":"build-finished","success":true}"#,
        ]
        .join("\n");
        assert_eq!(
            test_binary(&messages),
            Some(TestBinary {
                path: PathBuf::from("/r/target/debug/deps/e2e-0123abcd"),
                dir: PathBuf::from("/r/generated-client"),
            })
        );
        assert_eq!(
            test_binary(r#"{"reason":"build-finished","success":true}"#),
            None
        );
    }
}

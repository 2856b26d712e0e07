//! The runtime's cost against plain `reqwest` + `serde_json`, measured in one run.
//! Run it through `cargo xtask bench-runtime` (a release build); see README, Figures.
//!
//! * **Decode**: microseconds per ~2 KB `listSources` body (one `Source`), decoded by
//!   plain `serde_json::from_slice`, by `RawResponse::json` (what the client does) and
//!   through `serde_path_to_error` (what the runtime did for every body before it decoded
//!   with plain `serde_json` first).
//! * **Throughput**: requests per second against a local HTTP/1.1 server that answers
//!   every request with the same pre-rendered ~2 KB JSON body (keep-alive, no parsing
//!   beyond finding the end of each request head), for a hand-written baseline (a plain
//!   `reqwest::Client` GET, `bytes()`, `serde_json::from_slice` into `Vec<Source>`) and
//!   for the generated client's `list_sources` (default builder: request timeout,
//!   retry policy, tracing span, `Accept` and `User-Agent` headers, status dispatch),
//!   sequentially and with 32 requests in flight. Each round measures the two back to
//!   back (alternating which goes first); the ratio reported is the median of the
//!   rounds' ratios, with the middle half of them, which holds up when other work on
//!   the machine comes and goes between rounds.
//! * **Memory** (`--memory`): peak resident memory while one ~50 MB `listSources`
//!   response is read and decoded, for the baseline and the client, each in a fresh
//!   child process (the peak is the growth of `VmHWM` in `/proc/self/status` over the
//!   resident size before the request). The server writes the body from one small
//!   pre-rendered block, so the peak is the client's.
//!
//! The server runs on a thread of its own (a current-thread tokio runtime), the clients
//! on the main thread (another one), so each side has one of the machine's two cores.

use std::io::Write as _;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use generated_client::Client;
use generated_client::models::Source;
use generated_client::operations::ListSourcesParams;
use generated_client::runtime::{Bytes, HeaderMap, OperationInfo, RawResponse};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const HELP: &str = "\
bench_runtime: the generated client's runtime against plain reqwest + serde_json.

USAGE:
    cargo xtask bench-runtime [OPTIONS]
    (cargo run --release -p generated-client --example bench_runtime -- [OPTIONS])

OPTIONS:
    --rounds N        rounds of the throughput benchmark (default 15)
    --seconds S       seconds per measurement in a round (default 0.5)
    --concurrency N   requests in flight for the concurrent runs (default 32)
    --memory          measure peak memory for one large list response instead
    --memory-mb M     size of that response in MB (10^6 bytes; default 50)
    -h, --help        print this help
";

/// One `Source` as `listSources` returns it (values from the spec's examples); `{n}`
/// is replaced to make ids distinct.
const SOURCE: &str = r#"{"id":"2c91808568c529c60168cca6f90c13{n}","name":"Corporate Directory {n}","description":"This is the corporate directory, with every employee and contractor.","owner":{"type":"IDENTITY","id":"2c91808568c529c60168cca6f90c1313","name":"MyName"},"cluster":{"type":"CLUSTER","id":"2c9180866166b5b0016167c32ef31a66","name":"Corporate Cluster"},"accountCorrelationConfig":{"type":"ACCOUNT_CORRELATION_CONFIG","id":"2c9180855d191c59015d28583727245a","name":"Directory [source-62867] Account Correlation"},"accountCorrelationRule":{"type":"RULE","id":"2c918085708c274401708c2a8a760001","name":"Example Rule"},"managerCorrelationMapping":{"accountAttributeName":"manager","identityAttributeName":"manager"},"managerCorrelationRule":{"type":"RULE","id":"2c918085708c274401708c2a8a760001","name":"Example Rule"},"beforeProvisioningRule":{"type":"RULE","id":"2c918085708c274401708c2a8a760001","name":"Example Rule"},"schemas":[{"type":"CONNECTOR_SCHEMA","id":"2c9180835d191a86015d28455b4b232a","name":"account"},{"type":"CONNECTOR_SCHEMA","id":"2c9180835d191a86015d28455b4b232b","name":"group"}],"passwordPolicies":[{"type":"PASSWORD_POLICY","id":"2c9180855d191c59015d291ceb053980","name":"Corporate Password Policy"}],"features":["PROVISIONING","NO_PERMISSIONS_PROVISIONING","GROUPS_HAVE_MEMBERS"],"type":"OpenLDAP - Direct","connector":"active-directory","connectorClass":"sailpoint.connector.LDAPConnector","connectorAttributes":{"healthCheckTimeout":30,"authSearchAttributes":["cn","uid","mail"]},"deleteThreshold":10,"authoritative":false,"managementWorkgroup":{"type":"GOVERNANCE_GROUP","id":"2c91808568c529c60168cca6f90c2222","name":"My Management Workgroup"},"healthy":true,"status":"SOURCE_STATE_HEALTHY","since":"2021-09-28T15:48:29.3801666300Z","connectorId":"active-directory","connectorName":"Active Directory","connectionType":"direct","connectorImplementationId":"active-directory","created":"2022-02-08T14:50:03.827Z","modified":"2024-01-23T18:08:50.897Z","credentialProviderEnabled":false,"category":null}"#;

/// The operation info `RawResponse` needs in the decode benchmark.
static LIST_SOURCES: OperationInfo = OperationInfo {
    id: "listSources",
    method: "GET",
    path: "/sources",
};

struct Args {
    rounds: usize,
    seconds: f64,
    concurrency: usize,
    memory: bool,
    memory_mb: u64,
    /// Set in the child processes of `--memory`: `baseline` or `client`.
    memory_case: Option<String>,
}

fn parse_args() -> Result<Option<Args>, String> {
    let mut args = Args {
        rounds: 15,
        seconds: 0.5,
        concurrency: 32,
        memory: false,
        memory_mb: 50,
        memory_case: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "--rounds" => args.rounds = number(&value("--rounds")?)?,
            "--seconds" => {
                let v = value("--seconds")?;
                args.seconds = v
                    .parse()
                    .ok()
                    .filter(|s: &f64| *s > 0.0)
                    .ok_or(format!("--seconds: expected a positive number, got `{v}`"))?;
            }
            "--concurrency" => args.concurrency = number(&value("--concurrency")?)?,
            "--memory" => args.memory = true,
            "--memory-mb" => args.memory_mb = number(&value("--memory-mb")?)?,
            "--memory-case" => args.memory_case = Some(value("--memory-case")?),
            other => return Err(format!("unknown argument `{other}` (see --help)")),
        }
    }
    Ok(Some(args))
}

fn number<T: std::str::FromStr + PartialOrd + From<u8>>(text: &str) -> Result<T, String> {
    text.parse()
        .ok()
        .filter(|n| *n >= T::from(1))
        .ok_or(format!("expected a positive whole number, got `{text}`"))
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(Some(args)) => args,
        Ok(None) => {
            print!("{HELP}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = match (&args.memory_case, args.memory) {
        (Some(case), _) => memory_case(case, args.memory_mb),
        (None, true) => memory(&args),
        (None, false) => throughput(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

type Result<T, E = Box<dyn std::error::Error>> = std::result::Result<T, E>;

// ---------------------------------------------------------------------------------------
// Bodies

fn source(n: usize) -> String {
    SOURCE.replace("{n}", &format!("{:02}", n % 100))
}

/// The ~2 KB body of the throughput benchmark: a list of one source.
fn small_body() -> Vec<u8> {
    format!("[{}]", source(1)).into_bytes()
}

// ---------------------------------------------------------------------------------------
// Server

/// What the server answers: the head, then the body as `repeat` copies of `block`
/// followed by `tail` (so a large body needs no large buffer).
struct Answer {
    head: Vec<u8>,
    block: Vec<u8>,
    repeat: usize,
    tail: Vec<u8>,
}

impl Answer {
    /// One pre-rendered response (head and body in one buffer).
    fn whole(body: &[u8]) -> Answer {
        let mut head = Self::head(body.len());
        head.extend_from_slice(body);
        Answer {
            head,
            block: Vec::new(),
            repeat: 0,
            tail: Vec::new(),
        }
    }

    /// A JSON array of `count` sources of about `target` bytes in total.
    fn large(target: usize) -> Answer {
        let item = source(7);
        let per_block = 64;
        let mut block = Vec::new();
        for _ in 0..per_block {
            block.extend_from_slice(item.as_bytes());
            block.push(b',');
        }
        // `[` + blocks + the last item + `]`.
        let repeat = (target.saturating_sub(item.len() + 2) / block.len()).max(1);
        let mut tail = item.clone().into_bytes();
        tail.push(b']');
        let len = 1 + repeat * block.len() + tail.len();
        let mut head = Self::head(len);
        head.push(b'[');
        Answer {
            head,
            block,
            repeat,
            tail,
        }
    }

    fn head(len: usize) -> Vec<u8> {
        format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {len}\r\n\r\n"
        )
        .into_bytes()
    }

    fn body_len(&self) -> usize {
        let head_end = find(&self.head, b"\r\n\r\n").map_or(0, |at| at + 4);
        self.head.len() - head_end + self.repeat * self.block.len() + self.tail.len()
    }
}

/// Starts the server on a thread of its own; returns its base URL.
fn start_server(answer: Answer) -> Result<String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    listener.set_nonblocking(true)?;
    let url = format!("http://{}", listener.local_addr()?);
    let answer = Arc::new(answer);
    std::thread::Builder::new()
        .name("bench-server".into())
        .spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("server runtime");
            runtime.block_on(async move {
                let listener = TcpListener::from_std(listener).expect("listener");
                loop {
                    let Ok((stream, _)) = listener.accept().await else {
                        continue;
                    };
                    let _ = stream.set_nodelay(true);
                    tokio::spawn(serve(stream, answer.clone()));
                }
            });
        })?;
    Ok(url)
}

/// Answers every request head on the connection (`GET`s: no request bodies).
async fn serve(mut stream: TcpStream, answer: Arc<Answer>) {
    let mut buf = Vec::with_capacity(4096);
    loop {
        match stream.read_buf(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let mut start = 0;
        let mut requests = 0;
        while let Some(at) = find(&buf[start..], b"\r\n\r\n") {
            start += at + 4;
            requests += 1;
        }
        buf.drain(..start);
        for _ in 0..requests {
            if write_answer(&mut stream, &answer).await.is_err() {
                return;
            }
        }
    }
}

async fn write_answer(stream: &mut TcpStream, answer: &Answer) -> std::io::Result<()> {
    stream.write_all(&answer.head).await?;
    for _ in 0..answer.repeat {
        stream.write_all(&answer.block).await?;
    }
    stream.write_all(&answer.tail).await
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

// ---------------------------------------------------------------------------------------
// The two implementations

/// Plain reqwest: GET, read the body, decode it.
async fn baseline(http: &reqwest::Client, url: &str) -> Result<usize> {
    let response = http.get(url).send().await?;
    let body = response.bytes().await?;
    let sources: Vec<Source> = serde_json::from_slice(&body)?;
    Ok(sources.len())
}

/// The generated client.
async fn generated(client: &Client) -> Result<usize> {
    let sources = client.list_sources(&ListSourcesParams::default()).await?;
    Ok(sources.len())
}

#[derive(Clone, Copy, PartialEq)]
enum Side {
    Baseline,
    Client,
}

struct Setup {
    http: reqwest::Client,
    url: String,
    client: Client,
}

impl Setup {
    fn new(base_url: &str) -> Result<Setup> {
        Ok(Setup {
            http: reqwest::Client::new(),
            url: format!("{base_url}/sources"),
            client: Client::builder().base_url(base_url).build()?,
        })
    }

    async fn one(&self, side: Side) -> Result<usize> {
        match side {
            Side::Baseline => baseline(&self.http, &self.url).await,
            Side::Client => generated(&self.client).await,
        }
    }

    /// Requests per second over `seconds`, with `in_flight` requests at a time.
    async fn rate(&self, side: Side, in_flight: usize, seconds: f64) -> Result<f64> {
        let started = Instant::now();
        let deadline = started + Duration::from_secs_f64(seconds);
        let worker = || async {
            let mut done = 0u64;
            while Instant::now() < deadline {
                let n = self.one(side).await?;
                assert_eq!(n, 1, "the body holds one source");
                done += 1;
            }
            Ok::<u64, Box<dyn std::error::Error>>(done)
        };
        let results = futures_util::future::join_all((0..in_flight).map(|_| worker())).await;
        let elapsed = started.elapsed().as_secs_f64();
        let mut total = 0;
        for result in results {
            total += result?;
        }
        Ok(total as f64 / elapsed)
    }
}

// ---------------------------------------------------------------------------------------
// Throughput and decode

fn throughput(args: &Args) -> Result<()> {
    let body = small_body();
    println!(
        "body: {} bytes (a list of one `Source`); {} rounds of {} s per measurement",
        body.len(),
        args.rounds,
        args.seconds
    );
    decode(&body, args);

    let base_url = start_server(Answer::whole(&body))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let setup = Setup::new(&base_url)?;
        // Warm up: connections, allocator, caches.
        for side in [Side::Baseline, Side::Client] {
            setup.rate(side, args.concurrency, 0.3).await?;
        }
        let modes = [("sequential", 1), ("concurrent", args.concurrency)];
        // rates[mode][side] over rounds.
        let mut rates = vec![[Vec::new(), Vec::new()]; modes.len()];
        for round in 0..args.rounds {
            for (m, (_, in_flight)) in modes.iter().enumerate() {
                let order = if (round + m) % 2 == 0 {
                    [Side::Baseline, Side::Client]
                } else {
                    [Side::Client, Side::Baseline]
                };
                for side in order {
                    let rate = setup.rate(side, *in_flight, args.seconds).await?;
                    rates[m][(side == Side::Client) as usize].push(rate);
                }
            }
            eprint!(".");
            let _ = std::io::stderr().flush();
        }
        eprintln!();
        println!();
        println!(
            "| requests in flight | baseline reqwest (req/s) | generated client (req/s) | client / baseline | middle half of the rounds |"
        );
        println!("| --- | --- | --- | --- | --- |");
        for (m, (name, in_flight)) in modes.iter().enumerate() {
            let [base, client] = &rates[m];
            // Each round's two measurements are back to back, so their ratio
            // is robust to the machine's load drifting between rounds.
            let per_round: Vec<f64> = client.iter().zip(base).map(|(c, b)| c / b).collect();
            let (low, high) = quartiles(&per_round);
            println!(
                "| {in_flight} ({name}) | {:.0} | {:.0} | {:.3} | {low:.3}–{high:.3} |",
                median(base),
                median(client),
                median(&per_round),
            );
        }
        Ok(())
    })
}

/// Microseconds per body for each way of decoding, median of the rounds.
fn decode(body: &[u8], args: &Args) {
    let bytes = Bytes::copy_from_slice(body);
    let plain = || {
        let sources: Vec<Source> = serde_json::from_slice(&bytes).expect("decodes");
        sources.len()
    };
    let runtime = || {
        let raw = RawResponse::new(&LIST_SOURCES, 200, HeaderMap::new(), bytes.clone());
        let sources = raw.json::<Vec<Source>, ()>().expect("decodes");
        sources.len()
    };
    let path_to_error = || {
        let mut de = serde_json::Deserializer::from_slice(&bytes);
        let sources: Vec<Source> = serde_path_to_error::deserialize(&mut de).expect("decodes");
        de.end().expect("no trailing characters");
        sources.len()
    };
    let ways: [(&str, &dyn Fn() -> usize); 3] = [
        ("serde_json::from_slice (baseline)", &plain),
        ("RawResponse::json (the client)", &runtime),
        ("serde_path_to_error (reference)", &path_to_error),
    ];
    // About a tenth of a measurement's time per way and round.
    let iterations = {
        let started = Instant::now();
        let mut n = 0u32;
        while started.elapsed() < Duration::from_millis(50) {
            std::hint::black_box(plain());
            n += 1;
        }
        (f64::from(n) * args.seconds * 2.0).max(100.0) as u32
    };
    let mut micros = vec![Vec::new(); ways.len()];
    for _ in 0..args.rounds {
        for (i, (_, decode)) in ways.iter().enumerate() {
            let started = Instant::now();
            for _ in 0..iterations {
                std::hint::black_box(decode());
            }
            micros[i].push(started.elapsed().as_secs_f64() * 1e6 / f64::from(iterations));
        }
    }
    println!();
    println!(
        "| decode of one {}-byte body | µs per body (median) | vs. baseline |",
        body.len()
    );
    println!("| --- | --- | --- |");
    let base = median(&micros[0]);
    for ((name, _), m) in ways.iter().zip(&micros) {
        println!("| {name} | {:.2} | {:.2}× |", median(m), median(m) / base);
    }
}

// ---------------------------------------------------------------------------------------
// Memory

fn memory(args: &Args) -> Result<()> {
    let exe = std::env::current_exe()?;
    println!(
        "peak memory while reading and decoding one ~{} MB `listSources` response (fresh process each)",
        args.memory_mb
    );
    println!();
    println!(
        "| side | body (MB) | items | peak growth (MB) | peak / body | resident after decode, body dropped (MB) |"
    );
    println!("| --- | --- | --- | --- | --- | --- |");
    for case in ["baseline", "client"] {
        let output = std::process::Command::new(&exe)
            .args([
                "--memory-case",
                case,
                "--memory-mb",
                &args.memory_mb.to_string(),
            ])
            .output()?;
        if !output.status.success() {
            return Err(format!(
                "the {case} run failed: {}",
                String::from_utf8_lossy(&output.stderr)
            )
            .into());
        }
        print!("{}", String::from_utf8_lossy(&output.stdout));
    }
    Ok(())
}

/// One side of `--memory`, in a process of its own: prints one table row.
fn memory_case(case: &str, memory_mb: u64) -> Result<()> {
    let side = match case {
        "baseline" => Side::Baseline,
        "client" => Side::Client,
        other => return Err(format!("unknown memory case `{other}`").into()),
    };
    let answer = Answer::large(usize::try_from(memory_mb * 1_000_000)?);
    let body_len = answer.body_len();
    let base_url = start_server(answer)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let setup = Setup::new(&base_url)?;
        let before = proc_status_kb("VmRSS")?;
        let items = match side {
            Side::Baseline => {
                let response = setup.http.get(&setup.url).send().await?;
                let body = response.bytes().await?;
                let sources: Vec<Source> = serde_json::from_slice(&body)?;
                drop(body);
                sources
            }
            Side::Client => setup
                .client
                .list_sources(&ListSourcesParams::default())
                .await?
                .into_inner(),
        };
        let after = proc_status_kb("VmRSS")?;
        let peak = proc_status_kb("VmHWM")?;
        let mb = |kb: u64| kb as f64 * 1024.0 / 1e6;
        let growth = peak.saturating_sub(before);
        println!(
            "| {case} | {:.1} | {} | {:.1} | {:.2}× | {:.1} |",
            body_len as f64 / 1e6,
            items.len(),
            mb(growth),
            (growth * 1024) as f64 / body_len as f64,
            mb(after.saturating_sub(before)),
        );
        Ok(())
    })
}

/// A `kB` field of `/proc/self/status`.
fn proc_status_kb(field: &str) -> Result<u64> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|rest| rest.trim().strip_suffix("kB")?.trim().parse().ok())
        .ok_or_else(|| format!("no {field} in /proc/self/status").into())
}

// ---------------------------------------------------------------------------------------
// Statistics

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    if sorted.len().is_multiple_of(2) {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    } else {
        sorted[mid]
    }
}

/// The first and third quartiles (nearest rank).
fn quartiles(values: &[f64]) -> (f64, f64) {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let at = |q: f64| sorted[((sorted.len() - 1) as f64 * q).round() as usize];
    (at(0.25), at(0.75))
}

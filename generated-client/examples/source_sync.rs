//! List the tenant's sources and print one source's attribute-sync configuration.
//!
//! ```text
//! SAIL_BASE_URL=https://acme.api.identitynow.com SAIL_CLIENT_ID=... SAIL_CLIENT_SECRET=... \
//!     cargo run -p generated-client --example source_sync -- [--limit N] [SOURCE_ID]
//! ```

use std::process::ExitCode;

use generated_client::operations::ListSourcesParams;
use generated_client::runtime::StreamExt;
use generated_client::{Client, Error};

const HELP: &str = "\
source_sync: list sources, then print one source's attribute-sync configuration.

USAGE:
    cargo run -p generated-client --example source_sync -- [OPTIONS] [SOURCE_ID]

ARGS:
    SOURCE_ID       the source whose attribute-sync config to print
                    (default: the first source listed)

OPTIONS:
    --limit N       list at most N sources (default 20)
    -h, --help      print this help

ENVIRONMENT (as SailPoint's SDKs read it):
    SAIL_BASE_URL       tenant API root, e.g. https://acme.api.identitynow.com
    SAIL_CLIENT_ID      OAuth2 client id (client credentials)
    SAIL_CLIENT_SECRET  OAuth2 client secret
";

struct Args {
    limit: usize,
    source_id: Option<String>,
}

fn parse_args() -> Result<Option<Args>, String> {
    let mut args = Args {
        limit: 20,
        source_id: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "--limit" => {
                let v = it.next().ok_or("--limit needs a value")?;
                args.limit = v
                    .parse()
                    .map_err(|_| format!("--limit: `{v}` is not a number"))?;
            }
            other if other.starts_with('-') => return Err(format!("unknown option `{other}`")),
            other => args.source_id = Some(other.to_string()),
        }
    }
    Ok(Some(args))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(Some(args)) => args,
        Ok(None) => {
            print!("{HELP}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("error: {e}\n\n{HELP}");
            return ExitCode::from(2);
        }
    };
    match run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    // Reads SAIL_BASE_URL, SAIL_CLIENT_ID and SAIL_CLIENT_SECRET; names any that are missing.
    let client = Client::from_env()?;

    let params = ListSourcesParams {
        sorters: Some("name".into()),
        ..Default::default()
    };
    let mut sources = std::pin::pin!(client.list_sources_stream(&params, Some(args.limit)));
    let mut first = None;
    while let Some(source) = sources.next().await {
        let source = source?;
        println!(
            "{:<34} {}",
            source.id.as_deref().unwrap_or("-"),
            source.name
        );
        first = first.or(source.id);
    }

    let Some(id) = args.source_id.or(first) else {
        println!("no sources");
        return Ok(());
    };
    match client.get_source_attr_sync_config(&id).await {
        Ok(config) => {
            println!("\nattribute sync for source {id}:");
            for attr in &config.attributes {
                let mark = if attr.enabled { "on " } else { "off" };
                println!("  [{mark}] {} -> {}", attr.name, attr.target);
            }
            Ok(())
        }
        Err(Error::Api(api)) if api.status == 404 => Err(format!(
            "source {id} not found (tracking id {})",
            api.tracking_id().unwrap_or("-")
        )
        .into()),
        Err(e) => Err(e.into()),
    }
}

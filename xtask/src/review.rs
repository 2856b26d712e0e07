//! Spec-change review: `cargo xtask diff OLD NEW`, and the API change summary that
//! `cargo xtask codegen` prints after it writes.
//!
//! Both compare API surfaces ([`generator::Surface`]) with [`generator::diff::diff`]:
//! `diff` builds them from two specs (or reads a `surface.json`), `codegen` reads the
//! checked-in `surface.json` before it writes and compares it with the fresh one.

use std::path::{Path, PathBuf};

use generator::diff::Report;
use generator::surface::{ReadError, SURFACE_FILE, SURFACE_FORMAT, surface_format_of};
use generator::{Settings, Surface};

use crate::Error;

/// Output format of `cargo xtask diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// Plain text for a terminal.
    #[default]
    Text,
    /// Markdown, to paste as a pull-request comment.
    Markdown,
    /// JSON (layout documented in `generator::diff`).
    Json,
}

/// Arguments of `cargo xtask diff`.
#[derive(Debug, Clone, clap::Args)]
pub struct DiffArgs {
    /// The old OpenAPI 3.0 or 3.1 document (YAML or JSON), or a generated `surface.json`.
    #[arg(value_name = "OLD")]
    pub old: PathBuf,
    /// The new OpenAPI 3.0 or 3.1 document (YAML or JSON), or a generated `surface.json`.
    #[arg(value_name = "NEW")]
    pub new: PathBuf,
    /// How to print the report.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Exit with status 1 when anything breaking changed (the report is printed anyway).
    #[arg(long)]
    pub fail_on_breaking: bool,
    /// Compare only operations with this tag (and the types they use).
    #[arg(long, value_name = "TAG")]
    pub tag: Option<String>,
}

/// Whether `text` is a `surface.json` rather than an OpenAPI document: a JSON object with
/// a top-level `surface_format` (of any format, so that another one is reported as such).
/// Text that is not JSON is left to the OpenAPI loader, which says what is wrong with it.
fn looks_like_surface(text: &str) -> bool {
    text.trim_start().starts_with('{') && matches!(surface_format_of(text), Ok(Some(_)))
}

/// The API surface of the file at `path`: a spec lowered with `tag`, or a `surface.json`.
pub fn read_surface(path: &Path, tag: Option<&str>) -> Result<Surface, Error> {
    let file_name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: file_name.clone(),
        action: "read",
        source,
    })?;
    if looks_like_surface(&text) {
        if tag.is_some() {
            return Err(Error::Usage(format!(
                "{file_name}: --tag applies to OpenAPI documents, not to a surface.json"
            )));
        }
        return Surface::from_json(&text).map_err(|e| {
            let msg = match e {
                ReadError::Format { found } => format!(
                    "a surface.json of format {found}; this generator reads format \
                     {SURFACE_FORMAT} (regenerate it, or compare the OpenAPI documents)"
                ),
                other => other.to_string(),
            };
            generator::Error::new(&file_name, "#", msg).into()
        });
    }
    let spec = generator::load(&file_name, &text)?;
    // A tag may exist in one of the two documents only.
    let settings = Settings {
        tags: tag.map(str::to_string).into_iter().collect(),
        check_filters: false,
        ..Settings::default()
    };
    let (api, _warnings) = generator::lower_to_ir(&spec, &settings)?;
    Ok(Surface::from_api(&api, Some(&spec.sha256)))
}

/// `cargo xtask diff`: the report between the two documents. Writes nothing.
pub fn diff_specs(args: &DiffArgs) -> Result<Report, Error> {
    let old = read_surface(&args.old, args.tag.as_deref())?;
    let new = read_surface(&args.new, args.tag.as_deref())?;
    Ok(generator::diff::diff(&old, &new))
}

/// The report in `format`.
pub fn render(report: &Report, format: Format) -> String {
    match format {
        Format::Text => report.render_text(),
        Format::Markdown => report.render_markdown(),
        Format::Json => report.render_json(),
    }
}

/// What `cargo xtask codegen` can say about the change of the API surface.
#[derive(Debug, Clone)]
pub enum SurfaceReview {
    /// There was no `surface.json` in the generated tree (first run, or generated before
    /// surfaces existed).
    NoPrevious,
    /// The previous `surface.json` could not be read or parsed.
    Unreadable(String),
    /// The previous `surface.json` was written in another format (by an older or newer
    /// generator), so it cannot be compared.
    OtherFormat {
        /// Its format.
        found: u64,
    },
    /// The differences between the previous surface and the new one.
    Changes(Report),
}

impl SurfaceReview {
    /// The summary as printed by `cargo xtask codegen`.
    pub fn render_text(&self) -> String {
        match self {
            SurfaceReview::NoPrevious => format!(
                "no previous {SURFACE_FILE} to compare with (first run): no API change summary\n"
            ),
            SurfaceReview::Unreadable(why) => {
                format!("previous {SURFACE_FILE} unreadable ({why}): no API change summary\n")
            }
            SurfaceReview::OtherFormat { found } => format!(
                "previous {SURFACE_FILE} has format {found}, this generator writes \
                 {SURFACE_FORMAT}: no API change summary\n"
            ),
            SurfaceReview::Changes(report) if report.is_empty() => {
                "API surface unchanged\n".to_string()
            }
            SurfaceReview::Changes(report) => report.render_text(),
        }
    }
}

/// The `surface.json` found in a generated tree before regenerating it.
#[derive(Debug, Clone)]
pub enum PreviousSurface {
    Found(Box<Surface>),
    Missing,
    /// Written in another format (the number found).
    OtherFormat(u64),
    Unreadable(String),
}

/// The surface checked in at `dir/surface.json`, if there is one.
pub fn previous_surface(dir: &Path) -> PreviousSurface {
    let path = dir.join(SURFACE_FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => match Surface::from_json(&text) {
            Ok(s) => PreviousSurface::Found(Box::new(s)),
            Err(ReadError::Format { found }) => PreviousSurface::OtherFormat(found),
            Err(why) => PreviousSurface::Unreadable(why.to_string()),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => PreviousSurface::Missing,
        Err(e) => PreviousSurface::Unreadable(format!("{}: cannot read: {e}", path.display())),
    }
}

/// Compare the previous surface (or say why there is none) with `new`.
pub fn review(previous: PreviousSurface, new: &Surface) -> SurfaceReview {
    match previous {
        PreviousSurface::Found(old) => SurfaceReview::Changes(generator::diff::diff(&old, new)),
        PreviousSurface::Missing => SurfaceReview::NoPrevious,
        PreviousSurface::OtherFormat(found) => SurfaceReview::OtherFormat { found },
        PreviousSurface::Unreadable(why) => SurfaceReview::Unreadable(why),
    }
}

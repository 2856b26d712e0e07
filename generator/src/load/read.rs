//! `openapiv3::OpenAPI` from the normalised JSON tree, fast.
//!
//! Every `openapiv3` struct with extensions (`#[serde(flatten)]`) buffers its whole
//! subtree before reading its fields, so each level of nesting copies the document once
//! more. The top levels (the document, `paths`, `components`) are built here by hand,
//! entry by entry, which saves three copies of nearly the whole document, and
//! `components` is read on a second thread. Each entry is still read by `openapiv3`'s
//! own `Deserialize`, so the result is the document a single `OpenAPI::deserialize`
//! gives (a test checks this on every fixture).

use indexmap::IndexMap;
use openapiv3::{Components, OpenAPI, Paths, ReferenceOr};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// The document, or `None` if anything does not fit (the caller then finds what).
pub(crate) fn document(raw: &Value) -> Option<OpenAPI> {
    let top = raw.as_object()?;
    // The top-level fields but `paths` and `components` are small: read from a shallow
    // copy, with an empty `paths` (a required field) in place.
    let mut rest = Map::new();
    for (k, v) in top {
        if k != "components" && k != "paths" {
            rest.insert(k.clone(), v.clone());
        }
    }
    rest.insert("paths".into(), Value::Object(Map::new()));
    let read_components = || match top.get("components") {
        None | Some(Value::Null) => Some(None),
        Some(c) => self::components(c).map(Some),
    };
    let (doc, paths, components) = std::thread::scope(|s| {
        // Deeply nested schemas recurse in serde: the stack of the caller's main thread
        // (8 MiB in `cargo xtask`), not a spawned thread's 2 MiB.
        let components = std::thread::Builder::new()
            .stack_size(16 << 20)
            .spawn_scoped(s, read_components);
        let doc = OpenAPI::deserialize(&Value::Object(rest)).ok();
        let paths = top.get("paths").and_then(self::paths);
        let components = match components {
            Ok(handle) => handle.join().ok().flatten(),
            // No thread to be had: read them here.
            Err(_) => read_components(),
        };
        (doc, paths, components)
    });
    let mut doc = doc?;
    doc.paths = paths?;
    doc.components = components?;
    Some(doc)
}

/// `x-` keys, as `openapiv3` keeps them.
fn extensions(m: &Map<String, Value>) -> IndexMap<String, Value> {
    m.iter()
        .filter(|(k, _)| k.starts_with("x-"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

fn entries<T: DeserializeOwned>(v: Option<&Value>) -> Option<IndexMap<String, ReferenceOr<T>>> {
    match v {
        None => Some(IndexMap::new()),
        Some(Value::Object(m)) => m
            .iter()
            .map(|(k, v)| Some((k.clone(), ReferenceOr::<T>::deserialize(v).ok()?)))
            .collect(),
        Some(_) => None,
    }
}

fn paths(v: &Value) -> Option<Paths> {
    let m = v.as_object()?;
    let mut paths = IndexMap::new();
    for (k, item) in m {
        if k.starts_with('/') {
            paths.insert(k.clone(), ReferenceOr::deserialize(item).ok()?);
        }
    }
    Some(Paths {
        paths,
        extensions: extensions(m),
    })
}

fn components(v: &Value) -> Option<Components> {
    let m = v.as_object()?;
    Some(Components {
        schemas: entries(m.get("schemas"))?,
        responses: entries(m.get("responses"))?,
        parameters: entries(m.get("parameters"))?,
        examples: entries(m.get("examples"))?,
        request_bodies: entries(m.get("requestBodies"))?,
        headers: entries(m.get("headers"))?,
        security_schemes: entries(m.get("securitySchemes"))?,
        links: entries(m.get("links"))?,
        callbacks: entries(m.get("callbacks"))?,
        extensions: extensions(m),
    })
}

//! `testing/`: test support behind the `test-util` feature. `testing/mod.rs` holds the
//! typed `MockServer` wrapper and the registry (`operations()`, `SCHEMAS`);
//! `testing/{tag}/mod.rs` the tag's registry entries; `testing/{tag}/{op}.rs`, like
//! `operations/{tag}/{op}.rs`, one operation: a marker type with its `OperationSpec`,
//! the typed parameter setters of its `Mock`, its `MockServer` method and its example
//! call. The generic half lives in the runtime (`runtime::testing`).

use super::docs;
use super::operation::param_statement;
use super::printed;
use std::fmt::Write as _;

use crate::ir::{BodyKind, Param, ParamLocation, Status, TypeRef};
use crate::naming::Namer;
use crate::rust::{ArgKind, Decode, Method, Module, Plan, Scope, Success, Ty};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

/// Names the runtime's `Mock` already uses: a parameter setter takes another.
const MOCK_METHODS: &[&str] = &[
    "new",
    "request_mut",
    "json_body",
    "respond",
    "respond_example",
    "respond_error",
    "respond_empty",
    "respond_with",
    "times",
    "delay",
    "mount",
    "into_future",
    "body",
];

/// Names the generated `MockServer` already uses: an operation's method takes another.
const SERVER_METHODS: &[&str] = &[
    "start",
    "client",
    "client_builder",
    "uri",
    "verify",
    "inner",
    "received_requests",
    "wiremock",
];

/// `testing/mod.rs`: its items as tokens, then the `SCHEMAS` table as text (one entry
/// per type, written as the printer prints it; see [`super::printed`]).
pub(super) fn root(plan: &Plan) -> (TokenStream, String) {
    let mods = plan.modules.iter().map(|(m, module)| {
        let id = format_ident!("{}", m);
        let cfg = plan.module_cfg(module);
        quote!(#cfg pub mod #id;)
    });
    let extends = plan.modules.iter().map(|(m, module)| {
        let id = format_ident!("{}", m);
        let cfg = plan.module_cfg(module);
        quote!(#cfg all.extend(#id::OPERATIONS);)
    });
    let use_models = (!plan.api.types.is_empty()).then(|| {
        quote!(
            use crate::generated::models;
        )
    });
    let body = if plan.modules.is_empty() {
        quote!(Vec::new())
    } else {
        quote! {
            let mut all = Vec::new();
            #(#extends)*
            all
        }
    };
    let tokens = quote! {
        //! Test support for users of the client (the `test-util` feature): a typed mock
        //! server of the API ([`MockServer`]) and a registry of its operations
        //! ([`operations`]) and schemas ([`SCHEMAS`]).
        //!
        //! ```text
        //! let mock = MockServer::start().await;
        //! mock.some_operation().some_parameter("value").respond_example(200).await;
        //! let answer = mock.client().some_operation("value").await?;
        //! ```
        //!
        //! Each operation's expectation checks the request as the client sends it, and its
        //! answer against the spec: a body that does not decode into the type the
        //! operation documents for the status fails at once. Requests no expectation
        //! matches fail the test, naming the operation and what was wrong.
        #use_models
        use crate::generated::{Client, ClientBuilder};
        use crate::runtime;
        #(#mods)*

        /// A mock of the API: a local HTTP server that answers the operations a test
        /// expects, with one method per operation (each returns a
        /// [`Mock`](runtime::testing::Mock) to complete with parameters and an answer,
        /// then `.await`). See the [module docs](self).
        #[derive(Debug)]
        pub struct MockServer {
            inner: runtime::testing::MockServer,
        }

        impl MockServer {
            /// Starts a server.
            pub async fn start() -> MockServer {
                MockServer {
                    inner: runtime::testing::MockServer::start(
                        &super::client::PROFILE,
                        operations().into_iter().map(|e| e.spec),
                    )
                    .await,
                }
            }

            /// A client of this server, with credentials of the kind the API uses (a
            /// mock token endpoint for client credentials) and no retries.
            ///
            /// # Panics
            ///
            /// If the client cannot be built (it always can).
            pub fn client(&self) -> Client {
                self.client_builder()
                    .build()
                    .expect("a client of the mock server")
            }

            /// A builder of a client of this server, for settings of its own
            /// (timeouts, a retry policy, ...).
            pub fn client_builder(&self) -> ClientBuilder {
                ClientBuilder::from(self.inner.client_builder())
            }

            /// The server's URL, the base URL of its clients.
            pub fn uri(&self) -> String {
                self.inner.uri()
            }

            /// The generic server underneath (for its `wiremock` server and the
            /// requests it received).
            pub fn inner(&self) -> &runtime::testing::MockServer {
                &self.inner
            }

            /// Fails the test if a request matched no expectation or an expectation's
            /// `times` was not met, naming each operation and what was wrong. Dropping
            /// the server checks the same.
            pub async fn verify(&mut self) {
                self.inner.verify().await;
            }
        }

        /// Every operation of the API (with a feature per tag: of the tags compiled
        /// in), with its method, path template, documented responses and an example
        /// call.
        pub fn operations() -> Vec<&'static runtime::testing::OperationEntry<Client>> {
            #body
        }
    };
    (tokens, schemas(plan))
}

/// The `SCHEMAS` table of `testing/mod.rs`.
fn schemas(plan: &Plan) -> String {
    let mut out = String::from(
        "/// Every schema of the API with a generated type: its pointer, a round trip\n\
         /// through the type and the spec's example.\n\
         pub static SCHEMAS: &[runtime::testing::SchemaEntry] = &[",
    );
    if plan.api.types.is_empty() {
        out.push_str("];\n");
        return out;
    }
    out.push('\n');
    for def in plan.api.types.values() {
        if let Some(gate) = plan.type_gate(&def.name) {
            printed::cfg(&mut out, &gate, 4);
        }
        let ty = Ty::Model(def.name.clone()).text(Scope::Operations);
        out.push_str("    runtime::testing::SchemaEntry {\n");
        let type_name = printed::str_lit(&ty);
        printed::field(&mut out, 8, "type_name", ("", &type_name, ""), false);
        let pointer = printed::str_lit(&def.pointer);
        printed::field(&mut out, 8, "pointer", ("", &pointer, ""), false);
        let round_trip = ("runtime::testing::round_trip::<", ty.as_str(), ">");
        printed::field(&mut out, 8, "round_trip", round_trip, false);
        let example = def.example.as_deref().map(|e| text_literal(e).to_string());
        let example = match &example {
            Some(e) => ("Some(", e.as_str(), ")"),
            None => ("", "None", ""),
        };
        printed::field(&mut out, 8, "example", example, true);
        out.push_str("    },\n");
    }
    out.push_str("];\n");
    out
}

/// `testing/{tag}/{op}.rs`, beside `operations/{tag}/{op}.rs`.
pub(super) fn file_path(m: &Method) -> String {
    match m.file.strip_prefix("operations/") {
        Some(rest) => format!("testing/{rest}"),
        None => format!("testing/{}", m.file),
    }
}

fn file_stem(m: &Method) -> proc_macro2::Ident {
    let stem = m
        .file
        .rsplit('/')
        .next()
        .unwrap_or(&m.file)
        .trim_end_matches(".rs");
    format_ident!("{}", stem)
}

/// `testing/{tag}/mod.rs`: the tag's operation modules and registry entries.
pub(super) fn tag_module(plan: &Plan, module: &Module) -> TokenStream {
    let doc = format!(
        " Mocks and registry entries of the operations tagged `{}`.",
        docs::code(&module.tag)
    );
    let mods = module.methods.iter().map(|&i| {
        let m = file_stem(&plan.methods[i]);
        let cfg = plan.method_cfg(i);
        quote!(#cfg mod #m; #cfg pub use #m::*;)
    });
    let entries = module.methods.iter().map(|&i| {
        let m = &plan.methods[i];
        let cfg = plan.method_cfg(i);
        let marker = format_ident!("{}", m.op.type_name);
        let tags = &m.op.tags;
        let (call, why) = match example_call(plan, m) {
            Ok(_) => (quote!(Some(#marker::call)), quote!(None)),
            Err(why) => (quote!(None), quote!(Some(#why))),
        };
        quote! {
            #cfg
            runtime::testing::OperationEntry {
                spec: <#marker as runtime::testing::MockOperation>::SPEC,
                tags: &[#(#tags),*],
                call: #call,
                not_callable: #why,
            },
        }
    });
    quote! {
        #![doc = #doc]
        use crate::generated::Client;
        use crate::runtime;
        #(#mods)*

        pub(super) static OPERATIONS: &[runtime::testing::OperationEntry<Client>] = &[
            #(#entries)*
        ];
    }
}

/// `testing/{tag}/{op}.rs`: the items printed from tokens, then the spec impl as text.
pub(super) fn file(plan: &Plan, i: usize) -> (TokenStream, String) {
    let m = &plan.methods[i];
    let doc = format!(
        " The mock and registry entry of [`Client::{}`](crate::generated::Client::{}).",
        m.op.name, m.op.name
    );
    // The `MockServer` method: the client's name unless the server has a method of
    // that name.
    let mut server_names = Namer::new();
    for n in SERVER_METHODS {
        server_names.reserve(n);
    }
    let items = operation_items(plan, i, &mut server_names);
    let callable = example_call(plan, m).is_ok();
    let use_models = names_models(m, callable).then(|| {
        quote!(
            use crate::generated::models;
        )
    });
    let use_client = callable.then(|| {
        quote!(
            use crate::generated::Client;
        )
    });
    let tokens = quote! {
        #![doc = #doc]
        #use_models
        #use_client
        use crate::runtime;
        use crate::runtime::testing::Mock;

        #items
    };
    (tokens, operation_spec(plan, m))
}

fn operation_items(plan: &Plan, i: usize, server_names: &mut Namer) -> TokenStream {
    let m = &plan.methods[i];
    let op = m.op;
    let marker = format_ident!("{}", op.type_name);
    let method = &op.name;
    let marker_doc = format!(
        " [`Client::{method}`](crate::generated::Client::{method}) (`{} {}`), for \
         [`Mock`] and the registry.",
        op.method,
        docs::code(&op.path)
    );
    let setters = setters(m);
    let mock_impl = (!setters.is_empty()).then(|| {
        quote! {
            impl Mock<'_, #marker> {
                #(#setters)*
            }
        }
    });
    let server_method = format_ident!("{}", server_names.unique(&op.name, true));
    let server_doc = format!(
        " Expects a call of [`Client::{method}`](crate::generated::Client::{method}); \
         complete it with parameters and an answer, then `.await` it."
    );
    let call = match example_call(plan, m) {
        Ok(body) => Some(quote! {
            impl #marker {
                /// Calls the operation with arguments built from the spec's examples.
                pub(super) fn call(client: &Client) -> runtime::testing::CallFuture<'_> {
                    Box::pin(async move { #body })
                }
            }
        }),
        Err(_) => None,
    };
    quote! {
        #[doc = #marker_doc]
        #[derive(Debug)]
        pub enum #marker {}

        #mock_impl

        impl crate::generated::testing::MockServer {
            #[doc = #server_doc]
            pub fn #server_method(&self) -> Mock<'_, #marker> {
                Mock::new(self.inner())
            }
        }

        #call
    }
}

/// Whether the operation's testing file names a model: in a response or JSON request
/// body type, a parameter's, or (in its example call) a form field's.
fn names_models(m: &Method, callable: bool) -> bool {
    let responses = m.op.responses.iter().any(|r| {
        response_type(m, r.status)
            .0
            .is_some_and(|t| t.names_model())
    });
    let json_body = m.body.is_some()
        && m.args
            .iter()
            .any(|a| matches!(a.kind, ArgKind::Body) && a.ty.names_model())
        && matches!(
            m.body.as_ref().map(|b| &b.body.kind),
            Some(BodyKind::Json(_))
        );
    let params = m
        .args
        .iter()
        .any(|a| matches!(a.kind, ArgKind::Param(_)) && a.ty.names_model())
        || m.params
            .as_ref()
            .is_some_and(|(_, ps)| ps.iter().any(|(_, t)| t.names_model()));
    let form = callable
        && m.body
            .as_ref()
            .and_then(|b| b.form.as_ref())
            .is_some_and(|f| f.fields.iter().any(|(_, t)| t.names_model()));
    responses || json_body || params || form
}

/// The operation's `OperationSpec` literal.
/// The operation's `MockOperation` impl: its spec as data. Written as text (as the
/// codec tables are): it is most of a testing file, its shape is fixed, and printing it
/// through `syn` and `prettyplease` was a third of the whole crate's generation time.
fn operation_spec(plan: &Plan, m: &Method) -> String {
    let op = m.op;
    let lit = |s: &str| Literal::string(s).to_string();
    let opt = |s: Option<&str>| {
        s.map_or_else(
            || "None".to_string(),
            |s| format!("Some({})", text_literal(s)),
        )
    };
    let required = |loc: ParamLocation| {
        op.params
            .iter()
            .filter(|p| p.location == loc && p.required && p.default.is_none())
            .map(|p| lit(&p.wire))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "impl runtime::testing::MockOperation for {} {{",
        op.type_name
    );
    out.push_str("    const SPEC: &'static runtime::testing::OperationSpec = {\n");
    out.push_str("        static SPEC: runtime::testing::OperationSpec = runtime::testing::OperationSpec {\n");
    out.push_str("            info: runtime::OperationInfo {\n");
    let _ = writeln!(out, "                id: {},", lit(&op.id));
    let _ = writeln!(out, "                method: {},", lit(&op.method));
    let _ = writeln!(out, "                path: {},", lit(&op.path));
    out.push_str("            },\n");
    let _ = writeln!(
        out,
        "            required_query: &[{}],",
        required(ParamLocation::Query)
    );
    let _ = writeln!(
        out,
        "            required_headers: &[{}],",
        required(ParamLocation::Header)
    );
    match &op.body {
        None => out.push_str("            request_body: None,\n"),
        Some(b) => {
            let check = match &b.kind {
                BodyKind::Json(t) => format!(
                    "Some(runtime::testing::decodes::<{}>)",
                    plan.types.value(t).text(Scope::Operations)
                ),
                _ => "None".to_string(),
            };
            out.push_str("            request_body: Some(runtime::testing::RequestBodySpec {\n");
            let _ = writeln!(
                out,
                "                content_type: {},",
                lit(&b.content_type)
            );
            let _ = writeln!(out, "                required: {},", b.required);
            let _ = writeln!(out, "                check: {check},");
            out.push_str("            }),\n");
        }
    }
    if op.responses.is_empty() {
        out.push_str("            responses: &[],\n");
    } else {
        out.push_str("            responses: &[\n");
    }
    for r in &op.responses {
        let status = match r.status {
            Status::Code(c) => format!("Code({c})"),
            Status::Range(d) => format!("Range({d})"),
            Status::Default => "Default".to_string(),
        };
        let (ty, decode) = response_type(m, r.status);
        let (type_name, round_trip) = match (&ty, decode) {
            (Some(t), Decode::Json) => {
                let text = t.text(Scope::Operations);
                (
                    opt(Some(&text)),
                    format!("Some(runtime::testing::round_trip::<{text}>)"),
                )
            }
            (Some(t), _) => (opt(Some(&t.text(Scope::Operations))), "None".to_string()),
            (None, _) => ("None".to_string(), "None".to_string()),
        };
        out.push_str("                runtime::testing::ResponseSpec {\n");
        let _ = writeln!(
            out,
            "                    status: runtime::testing::StatusPattern::{status},"
        );
        let _ = writeln!(
            out,
            "                    success: {},",
            r.status.is_success()
        );
        let _ = writeln!(
            out,
            "                    content_type: {},",
            opt(r.body.as_ref().map(|b| b.content_type.as_str()))
        );
        let _ = writeln!(out, "                    type_name: {type_name},");
        let _ = writeln!(
            out,
            "                    example: {},",
            opt(r.body.as_ref().and_then(|b| b.example.as_deref()))
        );
        let _ = writeln!(out, "                    round_trip: {round_trip},");
        out.push_str("                },\n");
    }
    if !op.responses.is_empty() {
        out.push_str("            ],\n");
    }
    out.push_str("        };\n\n        &SPEC\n    };\n}\n");
    out
}

/// The Rust type a response's body decodes into, and how.
fn response_type(m: &Method, status: Status) -> (Option<Ty>, Decode) {
    if status.is_success() {
        match &m.success {
            Success::Single(t, d) => {
                let has_body =
                    m.op.responses
                        .iter()
                        .find(|r| r.status == status)
                        .is_some_and(|r| r.body.is_some());
                if has_body && *d != Decode::Empty {
                    (Some(t.clone()), *d)
                } else {
                    (None, Decode::Empty)
                }
            }
            Success::Enum(_, variants) => variants
                .iter()
                .find(|v| v.status == Some(status))
                .map_or((None, Decode::Empty), |v| (v.body.clone(), v.decode)),
        }
    } else {
        m.error
            .1
            .iter()
            .find(|v| v.status == status)
            .map_or((None, Decode::Empty), |v| (v.body.clone(), v.decode))
    }
}

/// The typed setters of the operation's `Mock`: one per parameter (the value as the
/// client sends it), and `body` for a JSON body.
fn setters(m: &Method) -> Vec<TokenStream> {
    let mut names = Namer::new();
    for n in MOCK_METHODS {
        names.reserve(n);
    }
    let mut out = Vec::new();
    let mut add = |p: &Param, ty: &Ty, positional: bool| {
        let name = format_ident!("{}", names.unique(&p.name, true));
        let arg = format_ident!("value");
        let t = ty.tokens(Scope::Operations, None);
        let value = if !positional || !matches!(ty, Ty::Ref(_)) {
            quote!(&value)
        } else {
            quote!(value)
        };
        let stmt = param_statement(p, value);
        let where_ = match p.location {
            ParamLocation::Path => "path parameter",
            ParamLocation::Header => "header",
            _ => "query parameter",
        };
        let doc = format!(
            " Matches only requests whose {where_} `{}` is `value`, as the client sends it.",
            docs::code(&p.wire)
        );
        out.push(quote! {
            #[doc = #doc]
            pub fn #name(mut self, #arg: #t) -> Self {
                let req = self.request_mut();
                #stmt
                self
            }
        });
    };
    for a in &m.args {
        if let ArgKind::Param(p) = &a.kind {
            add(p, &a.ty, true);
        }
    }
    if let Some((_, fields)) = &m.params {
        for (p, t) in fields {
            add(p, t, false);
        }
    }
    if let Some(b) = &m.body
        && let BodyKind::Json(_) = &b.body.kind
        && let Some(arg) = m.args.iter().find(|a| matches!(a.kind, ArgKind::Body))
    {
        let ty = match &arg.ty {
            Ty::Option(inner) => &**inner,
            other => other,
        };
        let t = ty.tokens(Scope::Operations, None);
        let value = if matches!(ty, Ty::Ref(_)) {
            quote!(body)
        } else {
            quote!(&body)
        };
        out.push(quote! {
            /// Matches only requests whose JSON body equals `body`, as the client
            /// encodes it.
            pub fn body(self, body: #t) -> Self {
                self.json_body(#value)
            }
        });
    }
    out
}

/// The body of the operation's example call, or why it cannot be made.
fn example_call(plan: &Plan, m: &Method) -> Result<TokenStream, &'static str> {
    let mut lets = Vec::new();
    let mut args = Vec::new();
    for a in &m.args {
        let var = format_ident!("{}", a.name);
        match &a.kind {
            ArgKind::Param(p) => {
                let json = param_example(plan, p).ok_or("a parameter has no example")?;
                lets.push(owned_let(&var, &a.ty, &p.wire, &json));
                args.push(pass(&var, &a.ty));
            }
            ArgKind::Body => {
                let Some(b) = &m.body else {
                    return Err("the body argument has no body");
                };
                let (ty, optional) = match &a.ty {
                    Ty::Option(inner) => ((**inner).clone(), true),
                    other => (other.clone(), false),
                };
                if let Some(form) = &b.form {
                    lets.push(form_let(&var, form, b.body.example.as_ref())?);
                    args.push(if optional {
                        quote!(Some(&#var))
                    } else {
                        quote!(&#var)
                    });
                    continue;
                }
                match (&b.body.example, optional) {
                    (None, true) => args.push(quote!(None)),
                    (None, false) => return Err("the request body has no example"),
                    (Some(example), _) => {
                        if ty == Ty::Bytes {
                            let text = match example {
                                serde_json::Value::String(s) => s.clone(),
                                other => other.to_string(),
                            };
                            let bytes = Literal::byte_string(text.as_bytes());
                            lets.push(quote!(let #var = runtime::Bytes::from_static(#bytes);));
                        } else {
                            lets.push(owned_let(&var, &ty, "body", &example.to_string()));
                        }
                        let passed = pass(&var, &ty);
                        args.push(if optional {
                            quote!(Some(#passed))
                        } else {
                            passed
                        });
                    }
                }
            }
            ArgKind::Params => args.push(quote!(&Default::default())),
        }
    }
    let name = format_ident!("{}", m.op.name);
    Ok(quote! {
        #(#lets)*
        Ok(runtime::testing::outcome(client.#name(#(#args),*).await))
    })
}

/// `let name: Owned = runtime::testing::example("wire", "json")?;`
fn owned_let(var: &proc_macro2::Ident, ty: &Ty, wire: &str, json: &str) -> TokenStream {
    let owned = owned(ty).tokens(Scope::Operations, None);
    let json = text_literal(json);
    quote!(let #var: #owned = runtime::testing::example(#wire, #json)?;)
}

/// The owned type behind an argument type (`&str` → `String`, `&[T]` → `Vec<T>`).
fn owned(ty: &Ty) -> Ty {
    match ty {
        Ty::Ref(inner) => match &**inner {
            Ty::Str => Ty::String,
            Ty::Slice(t) => Ty::Vec(t.clone()),
            other => other.clone(),
        },
        other => other.clone(),
    }
}

/// How an owned value is passed as an argument of type `ty`.
fn pass(var: &proc_macro2::Ident, ty: &Ty) -> TokenStream {
    if matches!(ty, Ty::Ref(_)) {
        quote!(&#var)
    } else {
        quote!(#var)
    }
}

/// `let body = {Op}Form { ... };` from the body's example: each field's member of it,
/// else the field's own example; `None` for an optional field without one; a file
/// without one gets a few bytes (a file's content can be anything).
fn form_let(
    var: &proc_macro2::Ident,
    form: &crate::rust::FormStruct,
    example: Option<&serde_json::Value>,
) -> Result<TokenStream, &'static str> {
    let members = example.and_then(serde_json::Value::as_object);
    let mut inits = Vec::new();
    for (f, t) in &form.fields {
        let field = format_ident!("{}", f.name);
        let given = members.and_then(|m| m.get(&f.wire)).or(f.example.as_ref());
        let value = match (t, given) {
            (Ty::Bytes, given) => {
                let text = match given {
                    Some(serde_json::Value::String(s)) => s.clone(),
                    Some(other) => other.to_string(),
                    None => "example".to_string(),
                };
                let bytes = Literal::byte_string(text.as_bytes());
                quote!(runtime::Bytes::from_static(#bytes))
            }
            // Two files: one part alone does not say that the field is a list.
            (Ty::Vec(item), _) if **item == Ty::Bytes => quote! {
                vec![
                    runtime::Bytes::from_static(b"example"),
                    runtime::Bytes::from_static(b"example 2"),
                ]
            },
            (_, None) if !f.required => {
                inits.push(quote!(#field: None));
                continue;
            }
            (_, None) => return Err("a required form field has no example"),
            (_, Some(v)) => {
                let json = text_literal(&v.to_string());
                let wire = &f.wire;
                let t = t.tokens(Scope::Operations, None);
                quote!(runtime::testing::example::<#t>(#wire, #json)?)
            }
        };
        inits.push(if f.required {
            quote!(#field: #value)
        } else {
            quote!(#field: Some(#value))
        });
    }
    let name = format_ident!("{}", form.name);
    Ok(quote!(let #var = crate::generated::operations::#name { #(#inits),* };))
}

/// A parameter's value for the example call, as JSON text: its example (the spec's,
/// or one of its type) or its default. A number or boolean given for a string
/// parameter is its text: on the wire they are the same (`id: 12345`).
fn param_example(plan: &Plan, p: &Param) -> Option<String> {
    let value = p.example.as_ref().or(p.default.as_ref())?;
    let text = matches!(plan.types.resolve(&p.ty), TypeRef::String);
    Some(match value {
        serde_json::Value::Number(_) | serde_json::Value::Bool(_) if text => {
            serde_json::Value::String(value.to_string()).to_string()
        }
        other => other.to_string(),
    })
}

/// A string literal; raw (`r#"..."#`) when the text has quotes or backslashes, as JSON
/// examples do, so that it reads as the JSON it is.
fn text_literal(text: &str) -> Literal {
    // Control and text-direction characters stay escaped.
    let plain = |c: char| {
        !c.is_control()
            && !matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !text.contains(['"', '\\']) || !text.chars().all(plain) {
        return Literal::string(text);
    }
    let mut hashes = 1;
    while text.contains(&format!("\"{}", "#".repeat(hashes))) {
        hashes += 1;
    }
    let h = "#".repeat(hashes);
    format!("r{h}\"{text}\"{h}")
        .parse()
        .unwrap_or_else(|_| Literal::string(text))
}

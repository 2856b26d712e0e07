//! `client.rs`: the API's [`Client`](crate::runtime) and `ClientBuilder`, and the
//! profile the runtime is configured with (servers, credentials, environment
//! variables, tracking id), from the document and the settings' `[client]` table.
//!
//! The client wraps the runtime's `Client` and has exactly the methods written here
//! (the operations add theirs in `operations/`), so operation names never meet the
//! runtime's. The builder forwards to the runtime's builder; the server variables
//! become methods of their own.

use super::doc_attrs;
use super::docs::{self, one_line};
use crate::ir::{SchemeKind, SecurityScheme};
use crate::naming::{Namer, snake_name};
use crate::rust::Plan;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The builder's own methods; a server variable named like one gets a suffix.
const BUILDER_METHODS: &[&str] = &[
    "from_env",
    "base_url",
    "api_root",
    "server_variable",
    "bearer_token",
    "client_credentials",
    "token_url",
    "token_source",
    "basic_auth",
    "api_key",
    "retry_policy",
    "user_agent",
    "timeout",
    "token_timeout",
    "connect_timeout",
    "http_client",
    "max_body_size",
    "default_header",
    "observer",
    "from_env_with",
    "build",
    "fmt",
    "clone",
];

/// What the document's security schemes let a client use.
struct Credentials<'a> {
    client_credentials: Option<&'a SecurityScheme>,
    bearer: bool,
    basic: bool,
    api_key: Option<(&'a str, bool)>,
}

fn credentials(schemes: &[SecurityScheme]) -> Credentials<'_> {
    Credentials {
        client_credentials: schemes
            .iter()
            .find(|s| matches!(s.kind, SchemeKind::ClientCredentials { .. })),
        bearer: schemes.iter().any(|s| {
            matches!(
                s.kind,
                SchemeKind::Bearer | SchemeKind::ClientCredentials { .. }
            )
        }),
        basic: schemes.iter().any(|s| s.kind == SchemeKind::Basic),
        api_key: schemes.iter().find_map(|s| match &s.kind {
            SchemeKind::ApiKey { name, in_query } => Some((name.as_str(), *in_query)),
            _ => None,
        }),
    }
}

pub(super) fn file(plan: &Plan) -> TokenStream {
    let api = plan.api;
    let profile_settings = &plan.settings.client;
    let creds = credentials(&api.security);

    // The profile.
    let servers = api.servers.iter().map(|s| {
        let url = &s.url;
        let vars = s.variables.iter().map(|v| {
            let (name, default) = (&v.name, &v.default);
            let values = &v.values;
            quote!(runtime::ServerVariable { name: #name, default: #default, values: &[#(#values),*] })
        });
        quote!(runtime::Server { url: #url, variables: &[#(#vars),*] })
    });
    let title = &api.title;
    let env_prefix = opt_str(profile_settings.env_prefix.as_deref());
    let env_root = profile_settings.env_base_url_is_root;
    let token_url = opt_str(profile_settings.token_url.as_deref().or(
        creds.client_credentials.and_then(|s| match &s.kind {
            SchemeKind::ClientCredentials { token_url } => Some(token_url.as_str()),
            _ => None,
        }),
    ));
    let mut kinds = Vec::new();
    if creds.client_credentials.is_some() {
        kinds.push(quote!(runtime::CredentialKind::ClientCredentials));
    }
    if creds.bearer {
        kinds.push(quote!(runtime::CredentialKind::Bearer));
    }
    if creds.basic {
        kinds.push(quote!(runtime::CredentialKind::Basic));
    }
    if creds.api_key.is_some() {
        kinds.push(quote!(runtime::CredentialKind::ApiKey));
    }
    let api_key = match creds.api_key {
        Some((name, in_query)) => {
            let location = if in_query {
                quote!(runtime::ApiKeyLocation::Query)
            } else {
                quote!(runtime::ApiKeyLocation::Header)
            };
            quote!(Some(runtime::ApiKey { name: #name, location: #location }))
        }
        None => quote!(None),
    };
    let tracking = opt_str(profile_settings.tracking_id.as_deref());

    // The client's docs: how to reach the API and authenticate.
    let mut client_doc = format!("A client of {}.\n\n", docs::prose(&one_line(title)));
    client_doc.push_str(
        "Its methods are the API's operations (see [`operations`](crate::generated::operations)). \
         Cheap to clone: clones share the connection pool and the token cache. `Debug` output never \
         shows credentials.",
    );
    let env_vars = env_variables(plan, &creds);
    if let Some(prefix) = &profile_settings.env_prefix {
        client_doc.push_str(&format!(
            "\n\n[`Client::from_env`] reads `{prefix}_BASE_URL` and the credentials' variables ({})." ,
            env_vars.join(", ")
        ));
    }
    let client_doc = doc_attrs(&client_doc);

    let from_env = profile_settings.env_prefix.as_ref().map(|prefix| {
        let base = if profile_settings.env_base_url_is_root {
            format!("`{prefix}_BASE_URL`, the API root (the server's path, `{}`, is appended)", base_path(plan))
        } else {
            format!("`{prefix}_BASE_URL`, the base URL")
        };
        let doc = doc_attrs(&format!(
            "A client configured from the environment: {base}, and the first of these credentials \
             whose variables are set: {}.\n\n# Errors\n\n[`runtime::BuildError::MissingEnv`] names the \
             variables that are unset or empty; [`runtime::BuildError::InvalidEnv`] an unusable value.",
            env_vars.join("; ")
        ));
        let builder_doc = doc_attrs(&format!(
            "A builder configured from the environment, as [`Client::from_env`] says, for more settings \
             before [`build`](Self::build) ({base})."
        ));
        (
            quote! {
                #(#doc)*
                pub fn from_env() -> Result<Client, runtime::BuildError> {
                    ClientBuilder::from_env()?.build()
                }
            },
            quote! {
                #(#builder_doc)*
                pub fn from_env() -> Result<ClientBuilder, runtime::BuildError> {
                    runtime::ClientBuilder::from_env(&PROFILE).map(ClientBuilder)
                }

                /// Like [`from_env`](Self::from_env), reading the variables with `lookup`
                /// (a configuration store, or a test's values) instead of from the process
                /// environment.
                pub fn from_env_with(
                    lookup: impl FnMut(&str) -> Option<String>,
                ) -> Result<ClientBuilder, runtime::BuildError> {
                    runtime::ClientBuilder::from_env_with(&PROFILE, lookup).map(ClientBuilder)
                }
            },
        )
    });
    let (client_from_env, builder_from_env) = match from_env {
        Some((c, b)) => (Some(c), Some(b)),
        None => (None, None),
    };

    // Server variables: one method each.
    let mut names = Namer::new();
    for m in BUILDER_METHODS {
        names.reserve(m);
    }
    let mut seen = Vec::new();
    let mut variable_methods = Vec::new();
    for (i, server) in api.servers.iter().enumerate() {
        for v in &server.variables {
            if seen.contains(&v.name) {
                continue;
            }
            seen.push(v.name.clone());
            let method = format_ident!("{}", names.unique(&snake_name(&v.name), true));
            let name = &v.name;
            let mut doc = format!(
                "Use the server `{}` with `{{{}}}` set to `value`",
                docs::code(&server.url),
                docs::code(name)
            );
            if let Some(d) = &v.doc {
                doc.push_str(&format!(
                    " ({})",
                    docs::prose(&one_line(d)).trim_end_matches('.')
                ));
            }
            doc.push_str(&format!(
                "; its default is `{}`{}. Replaces an earlier server or base URL.",
                docs::code(&v.default),
                if v.values.is_empty() {
                    String::new()
                } else {
                    format!(
                        ", and it is one of {}",
                        v.values
                            .iter()
                            .map(|x| format!("`{}`", docs::code(x)))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                }
            ));
            if i > 0 {
                doc.push_str(&format!(" (Server {} of the document.)", i + 1));
            }
            let doc = doc_attrs(&doc);
            variable_methods.push(quote! {
                #(#doc)*
                pub fn #method(self, value: impl Into<String>) -> Self {
                    ClientBuilder(self.0.server_variable(#name, value))
                }
            });
        }
    }

    let client_credentials = creds.client_credentials.map(|s| {
        let doc = doc_attrs(&format!(
            "OAuth2 client credentials (the document's `{}` scheme): the client posts \
             `grant_type=client_credentials` to the token endpoint, caches the access token, \
             refreshes it shortly before it expires and once when the API answers `401`. \
             Concurrent requests share one token request.",
            docs::code(&s.name)
        ));
        quote! {
            #(#doc)*
            pub fn client_credentials(self, client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
                ClientBuilder(self.0.client_credentials(client_id, client_secret))
            }

            /// The OAuth2 token endpoint, instead of the profile's.
            pub fn token_url(self, url: impl Into<String>) -> Self {
                ClientBuilder(self.0.token_url(url))
            }
        }
    });
    let api_key_method = creds.api_key.map(|(name, in_query)| {
        let doc = doc_attrs(&format!(
            "An API key, sent as the {} `{}` on every request.",
            if in_query {
                "query parameter"
            } else {
                "header"
            },
            docs::code(name)
        ));
        quote! {
            #(#doc)*
            pub fn api_key(self, key: impl Into<String>) -> Self {
                ClientBuilder(self.0.api_key(key))
            }
        }
    });
    let default_server = api
        .servers
        .first()
        .filter(|s| s.variables.is_empty())
        .map(|s| format!(" Default: `{}`.", docs::code(&s.url)))
        .unwrap_or_default();
    let base_url_doc = doc_attrs(&format!(
        "The base URL, e.g. `{}`: a trailing slash is removed, a path kept.{default_server}",
        docs::code(
            api.servers
                .first()
                .map_or("https://api.example.com/v1", |s| s.url.as_str())
        )
    ));

    quote! {
        //! The client of the API ([`Client`], [`ClientBuilder`]) and the profile it is
        //! configured with: the document's servers and security schemes, and the settings'
        //! environment variables and tracking-id member.

        use crate::runtime;

        /// What the runtime knows of this API.
        pub(crate) static PROFILE: runtime::Profile = runtime::Profile {
            name: #title,
            servers: &[#(#servers),*],
            env_prefix: #env_prefix,
            env_base_url_is_root: #env_root,
            token_url: #token_url,
            credentials: &[#(#kinds),*],
            api_key: #api_key,
            tracking_id: #tracking,
        };

        #(#client_doc)*
        #[derive(Clone, Debug)]
        pub struct Client {
            pub(crate) core: runtime::Client,
        }

        impl Client {
            /// A builder: base URL or server, credentials, timeouts, retries.
            pub fn builder() -> ClientBuilder {
                ClientBuilder(runtime::ClientBuilder::new(&PROFILE))
            }

            /// A client of `base_url` without credentials.
            pub fn new(base_url: impl Into<String>) -> Result<Client, runtime::BuildError> {
                Client::builder().base_url(base_url).build()
            }

            #client_from_env

            /// The runtime client underneath: for requests the generated methods do not
            /// make ([`runtime::Client::execute`]).
            pub fn core(&self) -> &runtime::Client {
                &self.core
            }

            /// The base URL, without trailing slash.
            pub fn base_url(&self) -> &str {
                self.core.base_url()
            }
        }

        impl From<runtime::Client> for Client {
            /// A client around a runtime client built for this API.
            fn from(core: runtime::Client) -> Client {
                Client { core }
            }
        }

        /// Builder of a [`Client`]. `Debug` output never shows credentials.
        #[derive(Clone, Debug)]
        pub struct ClientBuilder(runtime::ClientBuilder);

        impl From<runtime::ClientBuilder> for ClientBuilder {
            /// A builder around a runtime builder made for this API (with this API's
            /// profile).
            fn from(builder: runtime::ClientBuilder) -> ClientBuilder {
                ClientBuilder(builder)
            }
        }

        impl ClientBuilder {
            #builder_from_env

            #(#base_url_doc)*
            pub fn base_url(self, url: impl Into<String>) -> Self {
                ClientBuilder(self.0.base_url(url))
            }

            /// The API root (scheme and host, e.g. `https://api.example.com`): the base URL
            /// is the root followed by the first server's path.
            pub fn api_root(self, root: impl Into<String>) -> Self {
                ClientBuilder(self.0.api_root(root))
            }

            #(#variable_methods)*

            /// A bearer token (e.g. a personal access token), sent as
            /// `Authorization: Bearer <token>` on every request; never refreshed.
            pub fn bearer_token(self, token: impl Into<String>) -> Self {
                ClientBuilder(self.0.bearer_token(token))
            }

            #client_credentials

            /// A caller-supplied source of access tokens, cached and refreshed like
            /// those of client credentials.
            pub fn token_source(self, source: impl runtime::TokenSource) -> Self {
                ClientBuilder(self.0.token_source(source))
            }

            /// HTTP basic authentication.
            pub fn basic_auth(self, user: impl Into<String>, password: impl Into<String>) -> Self {
                ClientBuilder(self.0.basic_auth(user, password))
            }

            #api_key_method

            /// The retry policy (default: [`runtime::RetryPolicy::default`]).
            pub fn retry_policy(self, policy: runtime::RetryPolicy) -> Self {
                ClientBuilder(self.0.retry_policy(policy))
            }

            /// The `User-Agent` header (default: the crate's name and version).
            pub fn user_agent(self, user_agent: impl Into<String>) -> Self {
                ClientBuilder(self.0.user_agent(user_agent))
            }

            /// Time limit of one attempt (default 60 s; `None`: no limit).
            pub fn timeout(self, timeout: impl Into<Option<std::time::Duration>>) -> Self {
                ClientBuilder(self.0.timeout(timeout))
            }

            /// Time limit of one token request (default 30 s; `None`: no limit).
            pub fn token_timeout(self, timeout: impl Into<Option<std::time::Duration>>) -> Self {
                ClientBuilder(self.0.token_timeout(timeout))
            }

            /// Time limit for establishing a connection (default 30 s).
            pub fn connect_timeout(self, timeout: std::time::Duration) -> Self {
                ClientBuilder(self.0.connect_timeout(timeout))
            }

            /// Use this HTTP client (proxies, TLS roots, redirect policy, ...).
            pub fn http_client(self, client: reqwest::Client) -> Self {
                ClientBuilder(self.0.http_client(client))
            }

            /// A header sent with every request (one the operation sets keeps its
            /// value; credentials, `User-Agent` and `Content-Type` are the client's).
            pub fn default_header(self, name: impl Into<String>, value: impl Into<String>) -> Self {
                ClientBuilder(self.0.default_header(name, value))
            }

            /// Shows every HTTP exchange (each attempt, credentials redacted) to
            /// `observer`, such as a `runtime::testing::Recorder` (feature `test-util`).
            pub fn observer(self, observer: impl runtime::Observer) -> Self {
                ClientBuilder(self.0.observer(observer))
            }

            /// The largest response body read, in bytes (default 64 MiB); a larger one
            /// gives [`runtime::Error::BodyTooLarge`].
            pub fn max_body_size(self, bytes: usize) -> Self {
                ClientBuilder(self.0.max_body_size(bytes))
            }

            /// Build the client.
            pub fn build(self) -> Result<Client, runtime::BuildError> {
                self.0.build().map(Client::from)
            }
        }
    }
}

fn opt_str(s: Option<&str>) -> TokenStream {
    match s {
        Some(s) => quote!(Some(#s)),
        None => quote!(None),
    }
}

/// The path of the first server (what an API root lacks).
fn base_path(plan: &Plan) -> String {
    let Some(server) = plan.api.servers.first() else {
        return String::new();
    };
    let url = server.url.as_str();
    let after = url.find("://").map_or(0, |i| i + 3);
    url[after..].find('/').map_or(String::new(), |i| {
        url[after + i..].trim_end_matches('/').to_string()
    })
}

/// The credentials' environment variables, as `from_env` reads them, in its order.
fn env_variables(plan: &Plan, creds: &Credentials) -> Vec<String> {
    let Some(p) = &plan.settings.client.env_prefix else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if creds.client_credentials.is_some() {
        out.push(format!(
            "`{p}_CLIENT_ID` and `{p}_CLIENT_SECRET` (client credentials)"
        ));
    }
    if creds.bearer {
        out.push(format!("`{p}_TOKEN` (a bearer token)"));
    }
    if creds.basic {
        out.push(format!("`{p}_USERNAME` and `{p}_PASSWORD` (basic)"));
    }
    if creds.api_key.is_some() {
        out.push(format!("`{p}_API_KEY` (an API key)"));
    }
    out
}

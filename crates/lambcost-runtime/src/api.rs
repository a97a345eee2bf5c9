//! The Lambda Runtime API, served on 127.0.0.1 for one runtime process at a time:
//! `GET /2018-06-01/runtime/invocation/next` (a long poll), `POST .../invocation/{id}/response`,
//! `POST .../invocation/{id}/error` and `POST .../init/error`, with the headers, status codes
//! and bodies real Lambda uses.
//!
//! tiny_http parses HTTP (keep-alive, chunked bodies, `Expect: 100-continue`); this module
//! routes requests and builds replies. The harness takes requests from the server on its own
//! thread, stamped with the instant they arrived, so that one thread decides everything.

use std::io::Read;
use std::time::{Duration, Instant};
use tiny_http::{Header, Request, Response, Server, StatusCode};

/// The largest response Lambda accepts from a function, in bytes.
pub const MAX_RESPONSE_BYTES: usize = 6_291_556;

const PREFIX: &str = "/2018-06-01/runtime/";

/// What a request to the Runtime API asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Call {
    /// `GET invocation/next`: the runtime waits for an event.
    Next,
    /// `POST invocation/{id}/response`.
    Response(String),
    /// `POST invocation/{id}/error`.
    Error(String),
    /// `POST init/error`.
    InitError,
    /// Anything else.
    Unknown,
}

/// Routes a request by method and path (the query string is ignored).
pub fn route(method: &str, url: &str) -> Call {
    let path = url.split('?').next().unwrap_or(url);
    let Some(rest) = path.strip_prefix(PREFIX) else {
        return Call::Unknown;
    };
    match (method, rest) {
        ("GET", "invocation/next") => Call::Next,
        ("POST", "init/error") => Call::InitError,
        ("POST", r) => match r
            .strip_prefix("invocation/")
            .and_then(|r| r.rsplit_once('/'))
        {
            Some((id, "response")) if !id.is_empty() && !id.contains('/') => {
                Call::Response(id.to_string())
            }
            Some((id, "error")) if !id.is_empty() && !id.contains('/') => {
                Call::Error(id.to_string())
            }
            _ => Call::Unknown,
        },
        _ => Call::Unknown,
    }
}

/// A request and when it arrived.
pub struct Incoming {
    /// The HTTP request, to be answered once.
    pub request: Request,
    /// When its headers had been read.
    pub at: Instant,
}

/// The server: bound to a free port on 127.0.0.1.
pub struct RuntimeApi {
    server: Server,
    address: String,
}

impl RuntimeApi {
    /// Starts serving.
    pub fn start() -> std::io::Result<RuntimeApi> {
        let server = Server::http("127.0.0.1:0")
            .map_err(|e| std::io::Error::other(format!("cannot serve the Runtime API: {e}")))?;
        let address = server
            .server_addr()
            .to_ip()
            .map(|a| a.to_string())
            .ok_or_else(|| std::io::Error::other("the Runtime API has no TCP address"))?;
        Ok(RuntimeApi { server, address })
    }

    /// `host:port`, the value of `AWS_LAMBDA_RUNTIME_API`.
    pub fn address(&self) -> &str {
        &self.address
    }

    /// The next request, waiting at most `timeout`.
    pub fn receive(&self, timeout: Duration) -> Option<Incoming> {
        match self.server.recv_timeout(timeout) {
            Ok(Some(request)) => Some(Incoming {
                request,
                at: Instant::now(),
            }),
            _ => None,
        }
    }
}

fn header(name: &str, value: &str) -> Option<Header> {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).ok()
}

fn json_response(status: u16, body: String) -> Response<std::io::Cursor<Vec<u8>>> {
    let mut r = Response::from_data(body.into_bytes()).with_status_code(StatusCode(status));
    if let Some(h) = header("Content-Type", "application/json") {
        r.add_header(h);
    }
    r
}

/// The event handed to the runtime, with every header real Lambda sends.
pub struct Event<'a> {
    /// `Lambda-Runtime-Aws-Request-Id`.
    pub request_id: &'a str,
    /// `Lambda-Runtime-Deadline-Ms` (Unix epoch milliseconds).
    pub deadline_ms: u128,
    /// `Lambda-Runtime-Invoked-Function-Arn`.
    pub function_arn: &'a str,
    /// `Lambda-Runtime-Trace-Id`.
    pub trace_id: &'a str,
    /// The payload.
    pub body: &'a [u8],
}

/// The reply to `GET invocation/next`.
pub fn next_response(event: &Event<'_>) -> Response<std::io::Cursor<Vec<u8>>> {
    let mut r = Response::from_data(event.body.to_vec()).with_status_code(StatusCode(200));
    for (name, value) in [
        ("Content-Type", "application/json".to_string()),
        (
            "Lambda-Runtime-Aws-Request-Id",
            event.request_id.to_string(),
        ),
        ("Lambda-Runtime-Deadline-Ms", event.deadline_ms.to_string()),
        (
            "Lambda-Runtime-Invoked-Function-Arn",
            event.function_arn.to_string(),
        ),
        ("Lambda-Runtime-Trace-Id", event.trace_id.to_string()),
    ] {
        if let Some(h) = header(name, &value) {
            r.add_header(h);
        }
    }
    r
}

/// 202 `{"status":"OK"}`: a response, error or init error accepted.
pub fn accepted() -> Response<std::io::Cursor<Vec<u8>>> {
    json_response(202, r#"{"status":"OK"}"#.to_string())
}

/// 400 `InvalidRequestID`: the id is not the invocation in flight.
pub fn invalid_request_id() -> Response<std::io::Cursor<Vec<u8>>> {
    json_response(
        400,
        r#"{"errorMessage":"Invalid request ID","errorType":"InvalidRequestID"}"#.to_string(),
    )
}

/// 413 `RequestEntityTooLarge`: a response over 6 MB.
pub fn too_large() -> Response<std::io::Cursor<Vec<u8>>> {
    json_response(
        413,
        format!(
            r#"{{"errorMessage":"Exceeded maximum allowed payload size ({MAX_RESPONSE_BYTES} bytes).","errorType":"RequestEntityTooLarge"}}"#
        ),
    )
}

/// 404 for a path the Runtime API does not have.
pub fn not_found() -> Response<std::io::Cursor<Vec<u8>>> {
    json_response(
        404,
        r#"{"errorMessage":"Not found","errorType":"NotFound"}"#.to_string(),
    )
}

/// Reads a request body of at most `limit` bytes; `None` when it is longer.
pub fn read_body(request: &mut Request, limit: usize) -> std::io::Result<Option<Vec<u8>>> {
    let mut body = Vec::new();
    request
        .as_reader()
        .take(limit as u64 + 1)
        .read_to_end(&mut body)?;
    if body.len() > limit {
        // Drain the rest so the connection stays usable for the runtime's next call.
        std::io::copy(request.as_reader(), &mut std::io::sink())?;
        return Ok(None);
    }
    Ok(Some(body))
}

/// The value of a request header, if present.
pub fn header_value(request: &Request, name: &str) -> Option<String> {
    request
        .headers()
        .iter()
        .find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name))
        .map(|h| h.value.as_str().to_string())
}

/// The `errorType` of an error body (`{"errorMessage", "errorType", "stackTrace"}`), else the
/// `Lambda-Runtime-Function-Error-Type` header, else `Unhandled`.
pub fn error_type(body: &[u8], header: Option<String>) -> (String, Option<String>) {
    #[derive(serde::Deserialize)]
    struct ErrorBody {
        #[serde(rename = "errorType")]
        error_type: Option<String>,
        #[serde(rename = "errorMessage")]
        error_message: Option<String>,
    }
    let parsed: Option<ErrorBody> = serde_json::from_slice(body).ok();
    let message = parsed.as_ref().and_then(|b| b.error_message.clone());
    let kind = parsed
        .and_then(|b| b.error_type)
        .or(header)
        .unwrap_or_else(|| "Unhandled".to_string());
    (kind, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_every_endpoint() {
        assert_eq!(
            route("GET", "/2018-06-01/runtime/invocation/next"),
            Call::Next
        );
        assert_eq!(
            route("POST", "/2018-06-01/runtime/invocation/abc-1/response"),
            Call::Response("abc-1".into())
        );
        assert_eq!(
            route("POST", "/2018-06-01/runtime/invocation/abc-1/error"),
            Call::Error("abc-1".into())
        );
        assert_eq!(
            route("POST", "/2018-06-01/runtime/init/error"),
            Call::InitError
        );
        assert_eq!(
            route("POST", "/2018-06-01/runtime/invocation/next"),
            Call::Unknown
        );
        assert_eq!(
            route("GET", "/2018-06-01/runtime/invocation/a/response"),
            Call::Unknown
        );
        assert_eq!(
            route("POST", "/2018-06-01/runtime/invocation//response"),
            Call::Unknown
        );
        assert_eq!(route("GET", "/health"), Call::Unknown);
    }

    #[test]
    fn error_bodies_give_their_type() {
        let (kind, message) = error_type(
            br#"{"errorMessage":"boom","errorType":"MyError","stackTrace":[]}"#,
            None,
        );
        assert_eq!(
            (kind.as_str(), message.as_deref()),
            ("MyError", Some("boom"))
        );
        let (kind, _) = error_type(b"not json", Some("Runtime.Custom".into()));
        assert_eq!(kind, "Runtime.Custom");
        assert_eq!(error_type(b"", None).0, "Unhandled");
    }
}

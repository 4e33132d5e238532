//! Why a call to a backend failed, told so that the user can act on it.

use super::Api;

/// How long a call may take before it is given up.
pub const TIMEOUT_SECONDS: u32 = 60;

/// A failed call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// The server answered, but not to this page: it sends no CORS headers
    /// for the page's origin (a request without CORS reached it).
    Cors,
    /// Nothing answered: a wrong host or port, the server down, or a
    /// network in between.
    Unreachable,
    /// The request took longer than the user's patience allows.
    Timeout,
    /// The user cancelled it.
    Cancelled,
    /// 401 or 403: credentials are needed or were refused.
    Unauthorized { status: u16 },
    /// 404: no such API at this base URL (or no such trace).
    NotFound { apis_tried: Vec<Api> },
    /// 429 or 5xx, with what the server said.
    Server { status: u16, message: String },
    /// Another status, with what the server said.
    Refused { status: u16, message: String },
    /// Tempo refuses traces over its size limit.
    TraceTooLarge { message: String },
    /// The answer says it is larger than a page can hold.
    TooLarge { size: u64 },
    /// The body is not what the API answers (an HTML login page, say).
    UnexpectedBody { detail: String },
}

impl Failure {
    /// A non-2xx answer, with its body.
    pub fn from_status(status: u16, body: &[u8], apis_tried: &[Api]) -> Failure {
        let message = body_message(body);
        let lower = message.to_ascii_lowercase();
        if lower.contains("exceeds max size") || lower.contains("trace too large") {
            return Failure::TraceTooLarge { message };
        }
        match status {
            401 | 403 => Failure::Unauthorized { status },
            404 => Failure::NotFound {
                apis_tried: apis_tried.to_vec(),
            },
            429 | 500..=599 => Failure::Server { status, message },
            _ => Failure::Refused { status, message },
        }
    }

    /// A request that got no answer the page may read: `reached_without_cors`
    /// says whether the same URL answered a request made without CORS
    /// (which the browser lets through, unreadable), telling a missing CORS
    /// header from a server that is not there.
    pub fn from_network(reached_without_cors: bool) -> Failure {
        if reached_without_cors {
            Failure::Cors
        } else {
            Failure::Unreachable
        }
    }

    /// An answer of `size` bytes (its `Content-Length`), when a page cannot
    /// hold that much.
    pub fn if_too_large(size: u64) -> Option<Failure> {
        crate::ingest::limits::check(crate::ingest::limits::Measured::File, size)
            .err()
            .map(|_| Failure::TooLarge { size })
    }

    /// A 2xx answer that is not the API's data (the UI's HTML page, say),
    /// described so the user recognises it.
    pub fn unexpected_body(body: &[u8]) -> Failure {
        Failure::UnexpectedBody {
            detail: describe_body(body),
        }
    }

    /// What the user sees, with what to do about it.
    pub fn message(&self, base: &str) -> String {
        match self {
            Failure::Cors => format!(
                "{base} answered, but without the CORS headers that let this page read it. \
                 Allow this page's origin on the server: for Jaeger 2, in its jaeger_query \
                 extension (http: cors: allowed_origins: [\"<this page's origin>\"]); for \
                 Jaeger 1, --query.additional-headers=\"Access-Control-Allow-Origin: <this \
                 page's origin>\"; for Tempo, \
                 which has no CORS setting, through a reverse proxy that adds \
                 Access-Control-Allow-Origin (and Access-Control-Allow-Headers: Authorization, \
                 X-Scope-OrgID). Or reach it through spanloupe-collect --proxy NAME={base} \
                 and connect to /api/spanloupe/proxy/NAME."
            ),
            Failure::Unreachable => format!(
                "Nothing answered at {base}: check the address and port, and that the server \
                 is running and reachable from this machine."
            ),
            Failure::Timeout => format!(
                "{base} did not answer within {TIMEOUT_SECONDS} seconds: try again, or narrow the \
                 search (a shorter time range, a service, a lower limit)."
            ),
            Failure::Cancelled => "Cancelled.".to_owned(),
            Failure::Unauthorized { status } => format!(
                "{base} refused the request ({status}): it needs credentials. Add an \
                 Authorization header (Bearer or Basic), or X-Scope-OrgID for a multi-tenant Tempo."
            ),
            Failure::NotFound { apis_tried } => {
                let tried: Vec<&str> = apis_tried.iter().map(|api| api.label()).collect();
                if tried.is_empty() {
                    format!("{base} has no such page (404).")
                } else {
                    format!(
                        "{base} does not answer as {} (404): check the base URL, including any path \
                         prefix such as /jaeger.",
                        tried.join(", nor as ")
                    )
                }
            }
            Failure::Server { status, message } => {
                let what = if *status == 429 { "is busy" } else { "failed" };
                with_message(format!("{base} {what} ({status})"), message)
            }
            Failure::Refused { status, message } => {
                with_message(format!("{base} refused the request ({status})"), message)
            }
            Failure::TraceTooLarge { message } => with_message(
                "The trace is larger than the backend will return (Tempo's max_bytes_per_trace)"
                    .to_owned(),
                message,
            ),
            Failure::TooLarge { size } => format!(
                "{base} answered with more than this page can open: {}. Narrow the search \
                 (a lower limit, a shorter time range, a service).",
                crate::ingest::limits::too_large_message(
                    crate::ingest::limits::Measured::File,
                    *size,
                    false
                )
                .replacen("this file", "the answer", 1)
            ),
            Failure::UnexpectedBody { detail } => format!(
                "{base} answered with something other than this API's data: {detail}. Is the \
                 base URL that of the API (not a login page or the UI)?"
            ),
        }
    }
}

fn with_message(head: String, message: &str) -> String {
    if message.is_empty() {
        format!("{head}.")
    } else {
        format!("{head}: {message}")
    }
}

/// What kind of answer `body` is, in a few words: an HTML page with its
/// title, JSON, or the start of its text.
fn describe_body(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let trimmed = text.trim_start();
    if trimmed.is_empty() {
        return "an empty answer".to_owned();
    }
    let lower = trimmed.to_ascii_lowercase();
    if lower.starts_with("<!doctype html") || lower.starts_with("<html") {
        let title = lower.find("<title>").and_then(|start| {
            let start = start + "<title>".len();
            let end = start + lower[start..].find("</title>")?;
            // Lower-casing ASCII keeps byte offsets, so they index `trimmed`.
            Some(trimmed.get(start..end)?.trim().to_owned())
        });
        return match title {
            Some(title) if !title.is_empty() => format!("an HTML page ({title:?})"),
            _ => "an HTML page".to_owned(),
        };
    }
    if serde_json::from_slice::<serde_json::Value>(body).is_ok() {
        return "JSON without this API's fields".to_owned();
    }
    let first_line = trimmed.lines().next().unwrap_or_default();
    let head = crate::format::head(first_line, 80, 1);
    if head.len() < first_line.len() {
        format!("text beginning {:?}", format!("{head}…"))
    } else {
        format!("text beginning {head:?}")
    }
}

/// What an error body says: Jaeger v3's `{"error": {"message"}}`, v1's
/// `{"errors": [{"msg"}]}`, or text (Tempo), cut to a readable length.
fn body_message(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let from_json = serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|value| {
            value
                .pointer("/error/message")
                .or_else(|| value.pointer("/errors/0/msg"))
                .or_else(|| value.get("message"))
                .and_then(serde_json::Value::as_str)
                .map(str::to_owned)
        });
    let message = from_json.unwrap_or_else(|| text.trim().to_owned());
    let head = crate::format::head(&message, 300, 3);
    if head.len() < message.len() {
        format!("{head}…")
    } else {
        message
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "http://127.0.0.1:16686";

    #[test]
    fn statuses_say_what_to_do() {
        let unauthorized = Failure::from_status(401, b"", &[]);
        assert_eq!(unauthorized, Failure::Unauthorized { status: 401 });
        assert!(unauthorized.message(BASE).contains("X-Scope-OrgID"));
        let missing = Failure::from_status(
            404,
            b"404 page not found",
            &[Api::JaegerV3, Api::JaegerV1, Api::Tempo],
        );
        assert_eq!(
            missing.message(BASE),
            "http://127.0.0.1:16686 does not answer as Jaeger query API v3, nor as Jaeger query API v1, \
             nor as Grafana Tempo (404): check the base URL, including any path prefix such as /jaeger."
        );
        let v3 =
            br#"{"error":{"httpCode":400,"message":"malformed parameter query.start_time_min"}}"#;
        assert_eq!(
            Failure::from_status(400, v3, &[]).message(BASE),
            "http://127.0.0.1:16686 refused the request (400): malformed parameter query.start_time_min"
        );
        let v1 = br#"{"data":null,"total":0,"limit":0,"offset":0,"errors":[{"code":500,"msg":"storage is down"}]}"#;
        assert_eq!(
            Failure::from_status(500, v1, &[]).message(BASE),
            "http://127.0.0.1:16686 failed (500): storage is down"
        );
        let busy = Failure::from_status(429, b"rate limited\n", &[]);
        assert_eq!(
            busy.message(BASE),
            "http://127.0.0.1:16686 is busy (429): rate limited"
        );
        let large = Failure::from_status(
            500,
            b"failed to get trace with id: 1234 trace exceeds max size (max bytes: 5000000)",
            &[],
        );
        assert!(matches!(large, Failure::TraceTooLarge { .. }));
        assert!(large.message(BASE).contains("max_bytes_per_trace"));
        let long = "x".repeat(1000);
        let Failure::Server { message, .. } = Failure::from_status(502, long.as_bytes(), &[])
        else {
            panic!("a server failure");
        };
        assert!(
            message.ends_with('…') && message.len() < 400,
            "{}",
            message.len()
        );
    }

    #[test]
    fn an_answer_that_is_not_the_apis_is_described() {
        let page =
            b"<!DOCTYPE html>\n<html><head><title>Jaeger UI</title></head><body></body></html>";
        assert_eq!(
            Failure::unexpected_body(page).message(BASE),
            "http://127.0.0.1:16686 answered with something other than this API's data: an HTML \
             page (\"Jaeger UI\"). Is the base URL that of the API (not a login page or the UI)?"
        );
        let describe = |body: &[u8]| match Failure::unexpected_body(body) {
            Failure::UnexpectedBody { detail } => detail,
            other => panic!("{other:?}"),
        };
        assert_eq!(describe(b"<html><body>login</body></html>"), "an HTML page");
        assert_eq!(describe(b"  \n"), "an empty answer");
        assert_eq!(
            describe(br#"{"status":"ok"}"#),
            "JSON without this API's fields"
        );
        assert_eq!(
            describe(b"Welcome to nginx!\nmore"),
            "text beginning \"Welcome to nginx!\""
        );
        let long = describe("é".repeat(100).as_bytes());
        assert!(
            long.ends_with("…\"") && long.chars().count() < 100,
            "{long}"
        );
    }

    #[test]
    fn cors_is_told_from_unreachable() {
        let cors = Failure::from_network(true);
        assert_eq!(cors, Failure::Cors);
        let text = cors.message(BASE);
        assert!(text.contains("allowed_origins"), "{text}");
        assert!(
            text.contains("spanloupe-collect --proxy NAME=http://127.0.0.1:16686"),
            "{text}"
        );
        assert_eq!(Failure::from_network(false), Failure::Unreachable);
        assert!(Failure::Timeout.message(BASE).contains("within 60 seconds"));
        assert_eq!(Failure::if_too_large(1_000_000), None);
        let huge = Failure::if_too_large(3_000_000_000).expect("over the limit");
        assert!(
            huge.message(BASE)
                .starts_with("http://127.0.0.1:16686 answered with more than this page can open: the answer is 3 GB; the limit"),
            "{}",
            huge.message(BASE)
        );
        assert!(
            Failure::Unreachable
                .message(BASE)
                .starts_with("Nothing answered at http://127.0.0.1:16686")
        );
    }
}

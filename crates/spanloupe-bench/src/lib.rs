//! Deterministic generator of realistic traces, for benchmarks and load tests.
//!
//! Realistic means what real traces have: several services (each its own
//! resource), depth up to 12, 8-15 attributes a span, events, links, ~1%
//! errors with exception events, and some GenAI spans carrying message JSON.
//! The same seed and size always give the same bytes.

// The generator picks among a few choices and draws small numbers: its
// casts are of values far inside every type involved.
#![allow(
    clippy::cast_possible_truncation,
    clippy::cast_possible_wrap,
    clippy::cast_precision_loss
)]

pub mod jaeger;
pub mod json;
pub mod production;
mod rng;

use spanloupe_core::wire::common::any_value::Value as WireValue;
use spanloupe_core::wire::{
    AnyValue, ArrayValue, Event, ExportTraceServiceRequest, InstrumentationScope, KeyValue, Link,
    Resource, ResourceSpans, ScopeSpans, Span, Status,
};

pub use rng::Rng;

/// What to generate.
#[derive(Clone, Copy, Debug)]
pub struct Spec {
    pub spans: usize,
    /// Spans are split evenly over this many traces.
    pub traces: usize,
    pub seed: u64,
}

const SERVICES: [&str; 8] = [
    "frontend",
    "checkout",
    "cart",
    "payment",
    "shipping",
    "recommendation",
    "llm-gateway",
    "inventory",
];
const OPERATIONS: [&str; 12] = [
    "GET /api/products",
    "POST /api/checkout",
    "oteldemo.CartService/GetCart",
    "oteldemo.PaymentService/Charge",
    "SELECT inventory.items",
    "HGET cart",
    "chat gpt-4o-mini",
    "execute_tool lookup_order",
    "render product page",
    "publish orders",
    "process orders",
    "GET",
];
/// Spans exported per batch, as SDK batch processors do (512 by default).
const BATCH: usize = 512;
const MAX_DEPTH: u32 = 12;
pub(crate) const BASE_TIME_NANOS: u64 = 1_795_168_800_000_000_000;

/// Generates the request: one `ResourceSpans` per (service, batch).
pub fn generate(spec: Spec) -> ExportTraceServiceRequest {
    let mut rng = Rng::new(spec.seed);
    let traces = spec.traces.max(1);
    let mut per_service: Vec<Vec<Span>> = vec![Vec::new(); SERVICES.len()];
    for trace_index in 0..traces {
        let count = spec.spans / traces + usize::from(trace_index < spec.spans % traces);
        generate_trace(&mut rng, trace_index, count, &mut per_service);
    }
    let mut resource_spans = Vec::new();
    for (service, spans) in per_service.into_iter().enumerate() {
        let mut spans = spans.into_iter().peekable();
        while spans.peek().is_some() {
            let batch: Vec<Span> = spans.by_ref().take(BATCH).collect();
            resource_spans.push(ResourceSpans {
                resource: Some(resource(service)),
                scope_spans: vec![ScopeSpans {
                    scope: Some(InstrumentationScope {
                        name: format!("io.opentelemetry.{}", SERVICES[service]),
                        version: "1.38.0".to_owned(),
                        ..Default::default()
                    }),
                    spans: batch,
                    schema_url: String::new(),
                }],
                schema_url: "https://opentelemetry.io/schemas/1.26.0".to_owned(),
                instrumentation_library_spans: Vec::new(),
            });
        }
    }
    ExportTraceServiceRequest { resource_spans }
}

/// One span of the tree being grown: (position in `spans`, depth, start, end).
struct Open {
    span: usize,
    depth: u32,
    start: u64,
    end: u64,
}

fn generate_trace(rng: &mut Rng, trace_index: usize, count: usize, per_service: &mut [Vec<Span>]) {
    if count == 0 {
        return;
    }
    let trace_id = rng.bytes::<16>().to_vec();
    let trace_start = BASE_TIME_NANOS + trace_index as u64 * 60_000_000_000;
    let root_duration = 500_000_000 + rng.below(4_000_000_000);
    let mut spans: Vec<(usize, Span)> = Vec::with_capacity(count);
    let mut open = vec![Open {
        span: 0,
        depth: 0,
        start: trace_start,
        end: trace_start + root_duration,
    }];
    spans.push((
        0,
        make_span(
            rng,
            &trace_id,
            None,
            trace_start,
            trace_start + root_duration,
            0,
        ),
    ));
    // Grow the tree breadth-first-ish: pick a random open span to get a child,
    // biased towards recent ones so depth builds up.
    while spans.len() < count {
        let pick = open.len() - 1 - (rng.below(open.len().min(8) as u64) as usize);
        let parent = &open[pick];
        let (parent_span, depth, parent_start, parent_end) =
            (parent.span, parent.depth + 1, parent.start, parent.end);
        // Children take 40-90% of their parent, somewhere inside it: deep
        // spans stay visible (a leaf at depth 12 lasts ~1% of the root), as
        // in real traces where most time is spent in callees.
        let window = parent_end - parent_start;
        let length = window / 10 * (4 + rng.below(6));
        let start = parent_start + rng.below(window - length + 1);
        let end = start + length;
        let service = if rng.below(3) == 0 {
            rng.below(SERVICES.len() as u64) as usize
        } else {
            spans[parent_span].0
        };
        let parent_id = spans[parent_span].1.span_id.clone();
        let span = make_span(rng, &trace_id, Some(parent_id), start, end, depth);
        spans.push((service, span));
        if depth < MAX_DEPTH {
            open.push(Open {
                span: spans.len() - 1,
                depth,
                start,
                end,
            });
        }
        if open.len() > 64 {
            open.remove(0);
        }
    }
    // Exporters send spans as they end: children before parents.
    spans.sort_by_key(|(_, span)| span.end_time_unix_nano);
    for (service, span) in spans {
        per_service[service].push(span);
    }
}

fn make_span(
    rng: &mut Rng,
    trace_id: &[u8],
    parent: Option<Vec<u8>>,
    start: u64,
    end: u64,
    depth: u32,
) -> Span {
    let operation = OPERATIONS[rng.below(OPERATIONS.len() as u64) as usize];
    let is_error = rng.below(100) == 0;
    let is_genai = operation.starts_with("chat") || rng.below(40) == 0;
    let mut attributes = vec![
        kv_str(
            "http.request.method",
            if rng.below(3) == 0 { "POST" } else { "GET" },
        ),
        kv_str("url.path", &format!("/api/v1/items/{}", rng.below(5000))),
        kv_int(
            "http.response.status_code",
            if is_error { 500 } else { 200 },
        ),
        kv_str(
            "server.address",
            SERVICES[rng.below(SERVICES.len() as u64) as usize],
        ),
        kv_int("server.port", 8080),
        kv_str("network.protocol.version", "1.1"),
        kv_str("user.id", &format!("user-{}", rng.below(100_000))),
        kv_double("app.cart.total", (rng.below(100_000) as f64) / 100.0),
    ];
    for extra in 0..rng.below(8) {
        attributes.push(kv_str(
            &format!("app.detail.{extra}"),
            &format!("value-{}-{}", depth, rng.below(1000)),
        ));
    }
    if is_genai {
        attributes.push(kv_str("gen_ai.operation.name", "chat"));
        attributes.push(kv_str("gen_ai.provider.name", "openai"));
        attributes.push(kv_str("gen_ai.request.model", "gpt-4o-mini"));
        attributes.push(kv_int("gen_ai.usage.input_tokens", rng.below(4000) as i64));
        attributes.push(kv_int("gen_ai.usage.output_tokens", rng.below(800) as i64));
        let question = rng.below(1000);
        attributes.push(kv_str(
            "gen_ai.input.messages",
            &format!(r#"[{{"role":"user","parts":[{{"type":"text","content":"Where is order {question}? Please check the shipping status and tell me when it arrives."}}]}}]"#),
        ));
        attributes.push(kv_str(
            "gen_ai.output.messages",
            r#"[{"role":"assistant","parts":[{"type":"text","content":"Your order shipped yesterday and should arrive on Friday."}],"finish_reason":"stop"}]"#,
        ));
        attributes.push(KeyValue {
            key: "gen_ai.response.finish_reasons".to_owned(),
            value: Some(AnyValue {
                value: Some(WireValue::ArrayValue(ArrayValue {
                    values: vec![AnyValue {
                        value: Some(WireValue::StringValue("stop".to_owned())),
                    }],
                })),
            }),
        });
    }
    let mut events = Vec::new();
    if rng.below(10) == 0 {
        events.push(Event {
            time_unix_nano: start + (end - start) / 2,
            name: "cache.miss".to_owned(),
            attributes: vec![kv_str("cache.key", &format!("item:{}", rng.below(5000)))],
            dropped_attributes_count: 0,
        });
    }
    if is_error {
        events.push(Event {
            time_unix_nano: end,
            name: "exception".to_owned(),
            attributes: vec![
                kv_str("exception.type", "TimeoutError"),
                kv_str("exception.message", "upstream did not answer within 2 s"),
                kv_str("exception.stacktrace", "TimeoutError: upstream did not answer within 2 s\n    at call (client.js:41:11)\n    at handler (server.js:88:5)"),
            ],
            dropped_attributes_count: 0,
        });
    }
    let links = if rng.below(50) == 0 {
        vec![Link {
            trace_id: rng.bytes::<16>().to_vec(),
            span_id: rng.bytes::<8>().to_vec(),
            attributes: vec![kv_str("link.reason", "batch")],
            ..Default::default()
        }]
    } else {
        Vec::new()
    };
    Span {
        trace_id: trace_id.to_vec(),
        span_id: rng.bytes::<8>().to_vec(),
        parent_span_id: parent.unwrap_or_default(),
        name: operation.to_owned(),
        kind: if depth == 0 {
            2
        } else {
            1 + rng.below(5) as i32
        },
        start_time_unix_nano: start,
        end_time_unix_nano: end,
        attributes,
        events,
        links,
        status: is_error.then(|| Status {
            message: "upstream timeout".to_owned(),
            code: 2,
        }),
        flags: 0x100,
        ..Default::default()
    }
}

fn resource(service: usize) -> Resource {
    Resource {
        attributes: vec![
            kv_str("service.name", SERVICES[service]),
            kv_str("service.version", "2.0.1"),
            kv_str(
                "service.instance.id",
                &format!("{}-7d9f8c-{service}", SERVICES[service]),
            ),
            kv_str("telemetry.sdk.language", "go"),
            kv_str("telemetry.sdk.name", "opentelemetry"),
            kv_str("telemetry.sdk.version", "1.38.0"),
            kv_str("deployment.environment.name", "bench"),
        ],
        dropped_attributes_count: 0,
    }
}

pub(crate) fn kv(key: &str, value: WireValue) -> KeyValue {
    KeyValue {
        key: key.to_owned(),
        value: Some(AnyValue { value: Some(value) }),
    }
}

pub(crate) fn kv_str(key: &str, value: &str) -> KeyValue {
    kv(key, WireValue::StringValue(value.to_owned()))
}

pub(crate) fn kv_int(key: &str, value: i64) -> KeyValue {
    kv(key, WireValue::IntValue(value))
}

pub(crate) fn kv_double(key: &str, value: f64) -> KeyValue {
    kv(key, WireValue::DoubleValue(value))
}

/// Sizes of the huge values `add_huge_values` puts on a trace's root.
pub const HUGE_PROMPT_BYTES: usize = 10 * 1024 * 1024;
pub const HUGE_IMAGE_BYTES: usize = 3 * 1024 * 1024;
pub const HUGE_BODY_BYTES: usize = 10 * 1024 * 1024;

/// Makes the first trace's root span a chat call with huge values, as real
/// traces carry them: a 10 MB user prompt (a pasted document, in markdown),
/// a 3 MB base64 PNG as a blob part of the same message, and a 10 MB plain
/// attribute (a response body). The root is the first row of the waterfall,
/// so the benchmark selects it without searching.
pub fn add_huge_values(request: &mut ExportTraceServiceRequest, rng: &mut Rng) {
    let Some(root) = request
        .resource_spans
        .iter_mut()
        .flat_map(|r| r.scope_spans.iter_mut())
        .flat_map(|s| s.spans.iter_mut())
        .find(|span| span.parent_span_id.is_empty())
    else {
        return;
    };
    let mut prompt = String::with_capacity(HUGE_PROMPT_BYTES + 200);
    let mut paragraph = 0;
    while prompt.len() < HUGE_PROMPT_BYTES {
        paragraph += 1;
        prompt.push_str(&format!(
            "## Section {paragraph}\\n\\nThe order {} was *packed* at depot {} and handed to the carrier; \
             the customer asked twice where it is. See `shipment-{}` for the **tracking** history.\\n\\n",
            rng.below(100_000),
            rng.below(40),
            rng.below(1_000_000),
        ));
    }
    // Base64 of bytes that are not a real PNG: the viewer must not decode
    // what it does not show, and a broken image is what a user would see.
    let image: String = (0..HUGE_IMAGE_BYTES)
        .map(|_| {
            const ALPHABET: &[u8] =
                b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
            ALPHABET[rng.below(64) as usize] as char
        })
        .collect();
    let body: String = "x".repeat(HUGE_BODY_BYTES);
    root.name = "chat huge-prompt".to_owned();
    root.attributes.retain(|kv| !kv.key.starts_with("gen_ai."));
    root.attributes.extend([
        kv_str("gen_ai.operation.name", "chat"),
        kv_str("gen_ai.provider.name", "openai"),
        kv_str("gen_ai.request.model", "gpt-4o"),
        kv_int("gen_ai.usage.input_tokens", 2_600_000),
        kv_int("gen_ai.usage.output_tokens", 120),
        kv_str(
            "gen_ai.input.messages",
            &format!(
                r#"[{{"role":"user","parts":[{{"type":"text","content":"{prompt}"}},{{"type":"blob","modality":"image","mime_type":"image/png","content":"{image}"}}]}}]"#
            ),
        ),
        kv_str(
            "gen_ai.output.messages",
            r#"[{"role":"assistant","parts":[{"type":"text","content":"The order is with the carrier."}],"finish_reason":"stop"}]"#,
        ),
        kv_str("http.response.body", &body),
    ]);
}

//! A production-like export: many small traces (2-20 spans, most under 8)
//! over an hour of a shop's traffic, whose values are as varied as real
//! ones: request, user and session UUIDs, URLs and SQL with ids and
//! timestamps in them, user agents, model calls with 1-10 KB of messages.
//! Where [`crate::generate`] draws values from small ranges (which string
//! interning folds away), here most values occur once: what a collector's
//! file export of a busy system looks like.
//!
//! Seven services (a resource per instance, three instances each), ~1% of
//! spans failed with an exception event. Spans are exported as SDKs do: per
//! resource, in batches of up to 512 in the order they ended, and the
//! batches of all resources written in the order they were sent, so a
//! trace's spans are spread over several batches. The same seed and trace
//! count always give the same bytes.

mod genai;
mod request;
mod services;
mod spans;
mod values;

use spanloupe_core::wire::{
    ExportTraceServiceRequest, InstrumentationScope, ResourceSpans, ScopeSpans, Span,
};

use crate::{BASE_TIME_NANOS, Rng};
use request::{Endpoint, Request, call};
use services::{INSTANCES, SERVICES};
use values::{between, chance};

/// What to generate.
#[derive(Clone, Copy, Debug)]
pub struct Spec {
    pub traces: usize,
    pub seed: u64,
}

/// The trace count of the benchmark's input.
pub const DEFAULT_TRACES: usize = 50_000;

/// The file name, without its extension, of `traces` traces.
pub fn file_stem(traces: usize) -> String {
    format!("production-{traces}-traces")
}

/// Spans exported per batch, as SDK batch processors do (512 by default).
const BATCH: usize = 512;
/// Time between two requests' arrivals: 50,000 traces take an hour.
const ARRIVAL_NANOS: u64 = 72_000_000;

pub fn generate(spec: Spec) -> ExportTraceServiceRequest {
    let mut rng = Rng::new(spec.seed);
    let resources = SERVICES.len() * INSTANCES;
    let mut per_resource: Vec<Vec<Span>> = vec![Vec::new(); resources];
    for index in 0..spec.traces {
        let start = BASE_TIME_NANOS + index as u64 * ARRIVAL_NANOS + rng.below(ARRIVAL_NANOS);
        let request = Request::new(&mut rng, spec.seed, start);
        for (resource, span) in trace(&mut rng, &request) {
            per_resource[resource].push(span);
        }
    }
    // Each resource's spans in the order they ended, in batches; the
    // batches in the order they were sent (when their last span ended).
    let mut batches: Vec<(u64, ResourceSpans)> = Vec::new();
    for (resource, mut spans) in per_resource.into_iter().enumerate() {
        spans.sort_by_key(|span| span.end_time_unix_nano);
        let service = &SERVICES[resource / INSTANCES];
        let mut spans = spans.into_iter().peekable();
        while spans.peek().is_some() {
            let batch: Vec<Span> = spans.by_ref().take(BATCH).collect();
            let sent = batch.last().map_or(0, |span| span.end_time_unix_nano);
            batches.push((
                sent,
                ResourceSpans {
                    resource: Some(services::resource(spec.seed, resource)),
                    scope_spans: vec![ScopeSpans {
                        scope: Some(InstrumentationScope {
                            name: service.scope.to_owned(),
                            version: "0.49.0".to_owned(),
                            ..Default::default()
                        }),
                        spans: batch,
                        schema_url: String::new(),
                    }],
                    schema_url: "https://opentelemetry.io/schemas/1.26.0".to_owned(),
                    instrumentation_library_spans: Vec::new(),
                },
            ));
        }
    }
    batches.sort_by_key(|(sent, _)| *sent);
    ExportTraceServiceRequest {
        resource_spans: batches.into_iter().map(|(_, batch)| batch).collect(),
    }
}

/// What a span is to the tree: whether it can have children.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    /// A server or consumer span, or work inside a service: calls and
    /// queries happen under it.
    Parent,
    /// A tool run by an assistant: it calls the orders service.
    Tool,
    /// A call out, a query, a model call: nothing of ours under it.
    Leaf,
}

struct Node {
    resource: usize,
    service: usize,
    role: Role,
    span: Span,
}

/// What a new span under a parent is.
enum Child {
    Call(usize),
    Database,
    Cache,
    Publish,
    Internal,
    Chat,
    Tool,
}

/// The spans of one request, with the resource that records each, in the
/// order they ended.
fn trace(rng: &mut Rng, request: &Request) -> Vec<(usize, Span)> {
    // Most traces are small: the smallest of four draws in 0..=18 (a mean
    // of 5-6 spans, a fifth of traces of 2, a few of 15-20).
    let smallest = (0..4).map(|_| rng.below(19)).min().unwrap_or(0);
    let count = 2 + usize::try_from(smallest).unwrap_or(0);
    let trace_id = rng.bytes::<16>().to_vec();
    let duration_millis = match request.endpoint {
        Endpoint::Assistant => between(rng, 1_500, 20_000),
        _ if chance(rng, 2) => between(rng, 2_500, 12_000),
        _ if chance(rng, 10) => between(rng, 250, 2_500),
        _ => between(rng, 8, 250),
    };
    let entry = request.entry;
    let mut root = new_span(
        rng,
        &trace_id,
        &[],
        request.start,
        request.start + duration_millis * 1_000_000,
    );
    let error = chance(rng, 1);
    if request.endpoint == Endpoint::Settlement {
        spans::consume(&mut root, rng, request);
    } else {
        let call = call(rng, request, entry);
        let status = spans::status_code(rng, error, call.method);
        spans::server(&mut root, rng, request, entry, &call, status, None);
    }
    if error {
        spans::fail(&mut root, rng, request, entry);
    }
    let mut nodes = vec![Node {
        resource: entry * INSTANCES + usize::try_from(rng.below(3)).unwrap_or(0),
        service: entry,
        role: Role::Parent,
        span: root,
    }];
    // Spans that can get children, most recent last.
    let mut open = vec![0];
    while nodes.len() < count {
        // Biased to recent parents, so calls nest.
        let pick =
            open.len() - 1 - usize::try_from(rng.below(open.len().min(4) as u64)).unwrap_or(0);
        let parent = &nodes[open[pick]];
        let (service, resource, role) = (parent.service, parent.resource, parent.role);
        let (start, end) = child_window(rng, &parent.span);
        let parent_id = parent.span.span_id.clone();
        let mut span = new_span(rng, &trace_id, &parent_id, start, end);
        let error = chance(rng, 1);
        let child = choose(rng, request, service, role);
        let child_role = match child {
            Child::Internal => Role::Parent,
            Child::Tool => Role::Tool,
            _ => Role::Leaf,
        };
        match child {
            Child::Call(target) => {
                let call = call(rng, request, target);
                let status = spans::status_code(rng, error, call.method);
                spans::client(&mut span, service, target, &call, status);
                if error {
                    spans::fail(&mut span, rng, request, service);
                }
                let client_id = span.span_id.clone();
                nodes.push(Node {
                    resource,
                    service,
                    role: Role::Leaf,
                    span,
                });
                if nodes.len() < count {
                    // The called service's side, a little inside the call.
                    let margin = (end - start) / 50;
                    let mut server =
                        new_span(rng, &trace_id, &client_id, start + margin, end - margin);
                    // Its parent is in another process.
                    server.flags = 0x300;
                    let agent = SERVICES[service].client_agent;
                    spans::server(
                        &mut server,
                        rng,
                        request,
                        target,
                        &call,
                        status,
                        Some(agent),
                    );
                    if error {
                        spans::fail(&mut server, rng, request, target);
                    }
                    nodes.push(Node {
                        resource: target * INSTANCES + usize::try_from(rng.below(3)).unwrap_or(0),
                        service: target,
                        role: Role::Parent,
                        span: server,
                    });
                    open.push(nodes.len() - 1);
                }
                continue;
            }
            Child::Database => spans::database(&mut span, rng, request, service),
            Child::Cache => spans::cache(&mut span, rng, request, service),
            Child::Publish => spans::publish(&mut span, rng, request),
            Child::Internal => spans::internal(&mut span, rng, request, service),
            Child::Chat => genai::chat(&mut span, rng, request, service),
            Child::Tool => genai::tool(&mut span, rng, request, service),
        }
        if error {
            spans::fail(&mut span, rng, request, service);
        }
        nodes.push(Node {
            resource,
            service,
            role: child_role,
            span,
        });
        if child_role != Role::Leaf {
            open.push(nodes.len() - 1);
        }
    }
    // Exporters send spans as they end: children before parents.
    nodes.sort_by_key(|node| node.span.end_time_unix_nano);
    nodes
        .into_iter()
        .map(|node| (node.resource, node.span))
        .collect()
}

/// What to add under a span of `service`.
fn choose(rng: &mut Rng, request: &Request, service: usize, role: Role) -> Child {
    let backends = request.backends(service);
    if role == Role::Tool {
        return if rng.below(3) == 0 {
            Child::Cache
        } else {
            Child::Call(services::ORDERS)
        };
    }
    if SERVICES[service].genai != services::GenAi::None {
        return match rng.below(20) {
            0..9 => Child::Chat,
            9..15 => Child::Tool,
            15..17 => Child::Cache,
            _ => Child::Internal,
        };
    }
    let database = SERVICES[service].database.is_some();
    match rng.below(100) {
        0..35 if database => Child::Database,
        35..55 => Child::Cache,
        55..85 if !backends.is_empty() => {
            let index = usize::try_from(rng.below(backends.len() as u64)).unwrap_or(0);
            backends
                .get(index)
                .map_or(Child::Internal, |&target| Child::Call(target))
        }
        85..92 if request.endpoint == Endpoint::Checkout => Child::Publish,
        _ => Child::Internal,
    }
}

/// Where a child runs inside its parent: 10-80% of it, anywhere in it.
fn child_window(rng: &mut Rng, parent: &Span) -> (u64, u64) {
    let window = parent.end_time_unix_nano - parent.start_time_unix_nano;
    let length = window / 100 * between(rng, 10, 80);
    let start = parent.start_time_unix_nano + rng.below(window - length + 1);
    (start, start + length)
}

fn new_span(rng: &mut Rng, trace_id: &[u8], parent: &[u8], start: u64, end: u64) -> Span {
    Span {
        trace_id: trace_id.to_vec(),
        span_id: rng.bytes::<8>().to_vec(),
        parent_span_id: parent.to_vec(),
        start_time_unix_nano: start,
        end_time_unix_nano: end,
        flags: 0x100,
        ..Default::default()
    }
}

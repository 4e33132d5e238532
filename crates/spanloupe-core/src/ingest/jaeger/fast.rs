//! Jaeger JSON as Jaeger UI downloads it and its v1 API answers it, read
//! by hand in one pass: serde's visitors cost more than the work a span
//! needs (a span's tags are three fields each, on every attribute). What
//! this does not read (api_v2's shapes, the query API's `errors`, a time
//! that is not whole microseconds) or anything that is not valid JSON
//! makes [`read`] return `None`; the caller then takes out what it added
//! and reads the input with serde, which reads every shape and says where
//! an error is. Both build spans with the same functions (`span.rs`).

use std::borrow::Cow;

use super::lexer::Lexer;
use super::span::{Fields, Parent, SpanEnd, push_log, push_span};
use super::{Declared, JaegerSummary, Out, Process, Tag, TagValue, TraceState, attribute};
use crate::ingest::foreign::Text;
use crate::model::TraceSetBuilder;

/// Reads every document of the input (one, or JSON Lines), or `None` for
/// one that only serde reads. `text` is the input when it was checked as
/// UTF-8 whole.
pub(super) fn read(bytes: &[u8], text: Option<&str>, out: &mut Out) -> Option<JaegerSummary> {
    let mut lexer = Lexer::new(bytes, text);
    let mut summary = JaegerSummary::default();
    loop {
        summary.ends_in_data = document(&mut lexer, out, &mut summary.traces)?;
        summary.documents += 1;
        if lexer.at_end() {
            return Some(summary);
        }
    }
}

/// `{"data": [...]}`, a bare trace, or a list of traces; returns whether
/// `data` was the last key.
fn document(lexer: &mut Lexer, out: &mut Out, traces: &mut usize) -> Option<bool> {
    match lexer.peek()? {
        b'[' => {
            *traces += lexer.list(|lexer| trace(lexer, out))?;
            Some(false)
        }
        b'{' => {
            let mut bare = TraceState::default();
            let mut ends_in_data = false;
            lexer.object(|lexer, key| {
                ends_in_data = key == "data";
                match key.as_ref() {
                    "data" if lexer.null() => Some(()),
                    "data" => {
                        *traces += lexer.list(|lexer| trace(lexer, out))?;
                        Some(())
                    }
                    // The query API's errors are serde's to read.
                    "errors" if lexer.null() => Some(()),
                    "errors" => lexer.list(|_| None).map(|_| ()),
                    field => trace_field(lexer, field, &mut bare, out),
                }
            })?;
            if bare.spans > 0 {
                *traces += 1;
            }
            bare.finish(out.builder);
            Some(ends_in_data)
        }
        _ => None,
    }
}

fn trace(lexer: &mut Lexer, out: &mut Out) -> Option<()> {
    let mut trace = TraceState::default();
    lexer.object(|lexer, key| trace_field(lexer, &key, &mut trace, out))?;
    trace.finish(out.builder);
    Some(())
}

fn trace_field(lexer: &mut Lexer, key: &str, trace: &mut TraceState, out: &mut Out) -> Option<()> {
    match key {
        "spans" | "processes" | "warnings" if lexer.null() => Some(()),
        "spans" => lexer
            .list(|lexer| {
                span(lexer, out, trace)?;
                trace.spans += 1;
                Some(())
            })
            .map(|_| ()),
        "processes" => lexer.object(|lexer, id| {
            let process = process(lexer)?;
            trace.set_process(out.builder, id, &process);
            Some(())
        }),
        "warnings" => lexer
            .list(|lexer| {
                trace.warnings.push(lexer.string()?.into_owned());
                Some(())
            })
            .map(|_| ()),
        _ => lexer.skip_value(),
    }
}

fn span<'a>(lexer: &mut Lexer<'a>, out: &mut Out, trace: &mut TraceState) -> Option<()> {
    let Out { builder, scratch } = &mut *out;
    let builder: &mut TraceSetBuilder = builder;
    let events_start = builder.event_count();
    let links_start = builder.link_count();
    scratch.tags.clear();
    let mut fields = Fields::default();
    let mut trace_text: Option<Cow<'a, str>> = None;
    let mut span_text: Option<Cow<'a, str>> = None;
    lexer.object(|lexer, key| {
        match key.as_ref() {
            "traceID" | "traceId" => trace_text = Some(lexer.string()?),
            "spanID" | "spanId" => span_text = Some(lexer.string()?),
            "flags" if lexer.null() => fields.flags = 0,
            "flags" => fields.flags = u32::try_from(lexer.unsigned()?).ok()?,
            "operationName" if lexer.null() => fields.name = builder.strings().intern(""),
            "operationName" => fields.name = builder.strings().intern(&lexer.string()?),
            "startTime" => fields.start_nanos = nanos(lexer)?,
            "duration" => fields.duration_nanos = nanos(lexer)?,
            "processID" | "processId" if lexer.null() => fields.process_id = None,
            "processID" | "processId" => fields.process_id = Some(Text(lexer.string()?)),
            "references" | "tags" | "logs" | "warnings" if lexer.null() => {}
            "references" => {
                let mut parent = Parent {
                    id: &mut fields.parent_id,
                    len: &mut fields.parent_len,
                    found: false,
                };
                lexer.list(|lexer| reference(lexer, builder, &mut parent))?;
            }
            "tags" => {
                lexer.list(|lexer| {
                    let tag = tag(lexer)?;
                    if !fields.otlp.take(builder, &tag) {
                        scratch.tags.push(attribute(builder, &tag));
                    }
                    Some(())
                })?;
            }
            "logs" => {
                lexer.list(|lexer| log(lexer, builder, &mut scratch.fields))?;
            }
            "warnings" => {
                lexer.list(|lexer| {
                    fields.warnings.push(lexer.string()?.into_owned());
                    Some(())
                })?;
            }
            // api_v2's inline process: serde's to read.
            "process" => return None,
            _ => lexer.skip_value()?,
        }
        Some(())
    })?;
    let trace_text = trace_text.unwrap_or_default();
    push_span(
        SpanEnd {
            trace_text: &trace_text,
            span_text: span_text.as_deref(),
            events_start,
            links_start,
        },
        fields,
        out,
        trace,
    );
    Some(())
}

/// Whole microseconds (or `null`) as nanoseconds; api_v2's text is serde's.
fn nanos(lexer: &mut Lexer) -> Option<u64> {
    if lexer.null() {
        return Some(0);
    }
    Some(lexer.unsigned()?.saturating_mul(1000))
}

fn reference(lexer: &mut Lexer, builder: &mut TraceSetBuilder, parent: &mut Parent) -> Option<()> {
    let mut ref_type = None;
    let mut trace_id = None;
    let mut span_id = None;
    lexer.object(|lexer, key| {
        // serde refuses a field given twice here.
        let slot = match key.as_ref() {
            "refType" => &mut ref_type,
            "traceID" | "traceId" => &mut trace_id,
            "spanID" | "spanId" => &mut span_id,
            _ => return lexer.skip_value(),
        };
        once(slot, lexer.string()?)
    })?;
    parent.reference(
        builder,
        ref_type.as_deref().unwrap_or_default(),
        trace_id.as_deref().unwrap_or_default(),
        span_id.as_deref().unwrap_or_default(),
    );
    Some(())
}

fn log(
    lexer: &mut Lexer,
    builder: &mut TraceSetBuilder,
    scratch: &mut Vec<crate::model::Attribute>,
) -> Option<()> {
    let mut time_unix_nanos = 0;
    let mut fields = Vec::new();
    lexer.object(|lexer, key| {
        match key.as_ref() {
            "timestamp" => time_unix_nanos = nanos(lexer)?,
            "fields" if lexer.null() => {}
            "fields" => {
                lexer.list(|lexer| {
                    fields.push(tag(lexer)?);
                    Some(())
                })?;
            }
            _ => lexer.skip_value()?,
        }
        Some(())
    })?;
    push_log(builder, scratch, time_unix_nanos, &fields);
    Some(())
}

fn process<'a>(lexer: &mut Lexer<'a>) -> Option<Process<'a>> {
    let mut service_name = None;
    let mut tags = None;
    lexer.object(|lexer, key| match key.as_ref() {
        // serde refuses a field given twice here.
        "serviceName" => once(&mut service_name, lexer.string()?),
        "tags" if lexer.null() => once(&mut tags, Vec::new()),
        "tags" => {
            let mut list = Vec::new();
            lexer.list(|lexer| {
                list.push(tag(lexer)?);
                Some(())
            })?;
            once(&mut tags, list)
        }
        _ => lexer.skip_value(),
    })?;
    Some(Process {
        service_name: service_name.unwrap_or_default(),
        tags: tags.unwrap_or_default(),
    })
}

/// `{"key", "type", "value"}`, or api_v2's `vType` and `vStr`… fields.
fn tag<'a>(lexer: &mut Lexer<'a>) -> Option<Tag<'a>> {
    let mut tag = Tag {
        key: Cow::Borrowed(""),
        declared: Declared::Other,
        value: TagValue::Null,
    };
    // Jaeger writes `{"key":…,"type":…,"value":…}` in this order.
    if lexer.exact(b"{\"key\":") {
        lexer.enter()?;
        tag.key = lexer.string()?;
        if lexer.exact(b",\"type\":") {
            tag.declared = Declared::of(&lexer.string()?);
            if lexer.exact(b",\"value\":") {
                tag.value = lexer.tag_value()?;
            }
        }
        lexer.object_rest(|lexer, field| tag_field(lexer, &field, &mut tag))?;
    } else {
        lexer.object(|lexer, field| tag_field(lexer, &field, &mut tag))?;
    }
    Some(tag)
}

fn tag_field<'a>(lexer: &mut Lexer<'a>, field: &str, tag: &mut Tag<'a>) -> Option<()> {
    match field {
        "key" => tag.key = lexer.string()?,
        "type" | "vType" => tag.declared = Declared::of(&lexer.string()?),
        "value" | "vStr" | "vInt64" | "vBool" | "vFloat64" | "vBinary" => {
            tag.value = lexer.tag_value()?;
        }
        _ => lexer.skip_value()?,
    }
    Some(())
}

/// Fills `slot`, or `None` when it was filled already.
fn once<T>(slot: &mut Option<T>, value: T) -> Option<()> {
    if slot.is_some() {
        return None;
    }
    *slot = Some(value);
    Some(())
}

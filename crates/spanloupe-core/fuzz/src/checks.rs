//! The checks of the fuzz targets, one function each, over arbitrary bytes:
//! nothing may panic (a panic ends the worker, or the page), and what loads
//! must hold the model's invariants. The fuzz targets (`fuzz_targets/`) call
//! these; the core's tests (`tests/fuzz_regressions.rs`) include this file
//! and replay every input fuzzing found (`regressions/<target>/`).

use spanloupe_core::genai::markdown::to_safe_html;
use spanloupe_core::genai::thread::Thread;
use spanloupe_core::genai::{TraceGenAi, feedback_of, llm_call, tool_execution};
use spanloupe_core::ingest::split::load_in_parts;
use spanloupe_core::ingest::{Input, LoadedInputs, Source, gzip, load_many, otlp_json, otlp_proto};
use spanloupe_core::layout::search::{Query, search};
use spanloupe_core::model::{SpanIdx, TraceSet, TraceSetBuilder};

/// Decompressed inputs are cut here: the fuzzer's memory limit is 2 GB.
const MAX_INFLATED: u64 = 64 << 20;

/// Any input, through format detection: OTLP JSON, JSON Lines, protobuf
/// traces or logs, gzip of any.
pub fn load(data: &[u8]) {
    if let Ok(loaded) = spanloupe_core::load(data, Source::default()) {
        assert_model(&loaded.set);
    }
}

/// The OTLP JSON reader alone.
pub fn otlp_json(data: &[u8]) {
    let mut builder = TraceSetBuilder::new();
    if otlp_json::read(data, &mut builder).is_ok() {
        assert_model(&builder.finish());
    }
}

/// The OTLP protobuf reader alone (traces, then logs).
pub fn otlp_proto(data: &[u8]) {
    let mut builder = TraceSetBuilder::new();
    if otlp_proto::read(data, &mut builder).is_ok() {
        assert_model(&builder.finish());
    }
}

/// gzip, inflated up to a limit, then read.
pub fn gzip(data: &[u8]) {
    if let Ok(inflated) = gzip::decompress_at_most(data, MAX_INFLATED) {
        load(&inflated);
    }
}

/// A JSON file read in parts, as several workers read a large one, gives
/// what a whole read gives: the same outcome and as many spans and records.
pub fn split(data: &[u8]) {
    let Some((&workers, bytes)) = data.split_first() else {
        return;
    };
    let input = Input {
        bytes,
        source: Source::default(),
    };
    let whole = load_many(&[input]);
    let (parts, _) = load_in_parts(input, usize::from(workers % 3) + 2);
    let outcome = |reply: &LoadedInputs| {
        reply
            .outcomes
            .iter()
            .map(|o| o.as_ref().map(|s| (s.spans, s.logs)).map_err(|_| ()))
            .collect::<Vec<_>>()
    };
    assert_eq!(outcome(&parts), outcome(&whole), "parts and whole differ");
    if let Some(set) = &parts.set {
        assert_model(set);
    }
}

/// A loaded input, read as GenAI: every span normalised as a model call,
/// tool run and feedback, the Conversation view's steps, token totals, and
/// a search through it all.
pub fn genai(data: &[u8]) {
    let Ok(loaded) = spanloupe_core::load(data, Source::default()) else {
        return;
    };
    let set = &loaded.set;
    for (trace, genai) in set.traces.iter().zip(TraceGenAi::of_each(set)) {
        for span in trace.spans.range() {
            let idx = SpanIdx::at(span);
            let call = llm_call(set, idx);
            let _ = tool_execution(set, idx);
            let _ = feedback_of(
                set,
                idx,
                call.as_ref().and_then(|c| c.response_id.as_deref()),
            );
            if let Some(call) = call {
                for text in spanloupe_core::genai::normalize::plain_text(&call.input) {
                    let _ = to_safe_html(&text);
                }
            }
        }
        let _ = genai.tokens_by_model(set);
        let mut thread = Thread::new(set, &genai);
        thread.find(set, usize::MAX, || true);
        assert!(thread.is_complete());
        if let Some(query) = Query::parse("gen_ai") {
            let _ = search(set, trace, &query);
        }
    }
}

/// Markdown from a model's answer renders to HTML that runs nothing, loads
/// nothing and styles nothing: no script-bearing element, no event handler
/// or style attribute, images only from inline raster data, links to no
/// script or data address.
pub fn markdown(data: &[u8]) {
    assert_inert_html(&to_safe_html(&String::from_utf8_lossy(data)));
}

/// The oracle of [`markdown`], on HTML as the renderer writes it.
pub fn assert_inert_html(html: &str) {
    for (tag, attributes) in tags(html) {
        assert!(
            ![
                "script", "iframe", "object", "embed", "style", "svg", "math", "form", "base",
                "meta", "link"
            ]
            .contains(&tag.as_str()),
            "<{tag}> in {html}"
        );
        for (name, value) in attributes {
            let value = value.to_ascii_lowercase();
            assert!(
                !name.starts_with("on") && name != "style" && name != "srcset",
                "{name}= on <{tag}> in {html}"
            );
            if name == "src" {
                assert!(
                    value.starts_with("data:image/") && !value.starts_with("data:image/svg"),
                    "src={value} in {html}"
                );
            }
            if name == "href" {
                let compact: String = value
                    .chars()
                    .filter(|c| !c.is_whitespace() && !c.is_control())
                    .collect();
                assert!(
                    !["javascript:", "vbscript:", "data:", "file:"]
                        .iter()
                        .any(|s| compact.starts_with(s)),
                    "href={value} in {html}"
                );
            }
        }
    }
}

/// The tags of HTML as the writer makes it (text's `<` escaped, attribute
/// values double-quoted with their quotes escaped): each tag's name and
/// attributes, names lower case.
fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        rest = &rest[open + 1..];
        let rest_of_tag = rest.strip_prefix('/').unwrap_or(rest);
        let name: String = rest_of_tag
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        let mut at =
            rest_of_tag[name.len()..].trim_start_matches(|c: char| c != '>' && c.is_whitespace());
        let mut attributes = Vec::new();
        loop {
            at = at.trim_start();
            if at.is_empty() || at.starts_with('>') || at.starts_with("/>") {
                break;
            }
            let attribute: String = at
                .chars()
                .take_while(|c| !c.is_whitespace() && *c != '=' && *c != '>')
                .collect();
            at = &at[attribute.len()..];
            let mut value = String::new();
            if let Some(after) = at.strip_prefix("=\"") {
                let end = after.find('"').unwrap_or(after.len());
                value = after[..end].to_owned();
                at = after.get(end + 1..).unwrap_or("");
            }
            if attribute.is_empty() {
                at = at.get(1..).unwrap_or("");
                continue;
            }
            attributes.push((attribute.to_ascii_lowercase(), value));
        }
        found.push((name.to_ascii_lowercase(), attributes));
        rest = at;
    }
    found
}

/// The model's invariants: traces tile the spans; within each, pre-order
/// with subtrees nested in their parents' and parents before children.
fn assert_model(set: &TraceSet) {
    let mut covered = 0;
    for trace in &set.traces {
        let range = trace.spans.range();
        assert_eq!(range.start, covered, "traces tile the spans");
        covered = range.end;
        for i in range.clone() {
            let span = &set.spans[i];
            let end = span.subtree_end.index();
            assert!(end > i && end <= range.end, "subtree of {i} ends at {end}");
            if let Some(parent) = span.parent {
                let p = parent.index();
                assert!(range.contains(&p) && p < i, "parent {p} of {i}");
                assert_eq!(span.depth, set.spans[p].depth + 1);
                assert!(set.spans[p].subtree_end.index() >= end);
            } else {
                assert_eq!(span.depth, 0);
            }
        }
    }
    assert_eq!(covered, set.span_count(), "every span is in a trace");
}

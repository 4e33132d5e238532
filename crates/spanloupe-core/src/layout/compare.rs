//! Two traces side by side: their spans paired by their place in the tree
//! (the roots, then each pair's children, aligned by service and name as
//! a longest common subsequence: an added retry shows as added, not as
//! everything after it shifted), what only one of them has, each pair's
//! duration and attribute differences, and for model calls the messages
//! diffed line by line. The traces may come from two different sets.

use std::fmt::Write as _;

use super::align::{Step, align};
use super::statistics::value_text;
use crate::genai::TraceGenAi;
use crate::model::{SpanIdx, Trace, TraceSet};

/// One of the two traces.
#[derive(Clone, Copy)]
pub struct Side<'a> {
    pub set: &'a TraceSet,
    pub trace: &'a Trace,
    pub genai: &'a TraceGenAi,
}

/// Which traces have a row's span.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Presence {
    Both,
    OnlyA,
    OnlyB,
}

/// One row of the comparison, in tree order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Row {
    pub a: Option<SpanIdx>,
    pub b: Option<SpanIdx>,
    pub depth: u32,
}

impl Row {
    pub fn presence(&self) -> Presence {
        match (self.a, self.b) {
            (Some(_), Some(_)) => Presence::Both,
            (Some(_), None) => Presence::OnlyA,
            _ => Presence::OnlyB,
        }
    }
}

/// How a pair's duration changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    Slower,
    Faster,
    /// Within 10 % (or 100 µs) either way.
    Same,
}

impl Change {
    /// B's duration against A's: slower or faster by more than 10 % and
    /// more than 100 µs, else the same (timer noise).
    pub fn of(a_nanos: u64, b_nanos: u64) -> Change {
        let difference = a_nanos.abs_diff(b_nanos);
        if difference <= 100_000 || difference.saturating_mul(10) <= a_nanos {
            Change::Same
        } else if b_nanos > a_nanos {
            Change::Slower
        } else {
            Change::Faster
        }
    }
}

/// A trace's figures for the summary.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Totals {
    pub duration_nanos: u64,
    pub spans: usize,
    pub errors: usize,
    /// Model calls, each once (wrappers and second records not counted).
    pub calls: usize,
    pub input_tokens: u64,
    pub output_tokens: u64,
    /// The dollars of the priced calls, and the calls without a price.
    pub cost_usd: f64,
    pub unpriced: usize,
}

impl Totals {
    pub fn of(side: &Side) -> Totals {
        let mut totals = Totals {
            duration_nanos: side.trace.duration_nanos(),
            spans: side.trace.span_count(),
            errors: side.trace.error_count,
            ..Totals::default()
        };
        for span in side.genai.spans().iter().filter(|s| s.counted) {
            totals.calls += 1;
            totals.input_tokens += span.usage.input.unwrap_or(0);
            totals.output_tokens += span.usage.output.unwrap_or(0);
        }
        (totals.cost_usd, totals.unpriced) = side.genai.cost();
        totals
    }
}

/// The two traces compared.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    pub rows: Vec<Row>,
    pub a: Totals,
    pub b: Totals,
    pub matched: usize,
    pub only_a: usize,
    pub only_b: usize,
}

/// What is still to be written into the rows (a stack, so that deep
/// traces do not recurse).
enum Work {
    Pair(SpanIdx, SpanIdx, u32),
    /// A subtree only one trace has, whole.
    Only(Presence, SpanIdx, u32),
}

pub fn compare(a: &Side, b: &Side) -> Comparison {
    let mut rows = Vec::with_capacity(a.trace.span_count().max(b.trace.span_count()));
    let shapes = (Shapes::of(a), Shapes::of(b));
    let mut work = Vec::new();
    push_aligned(
        &mut work,
        (a, &shapes.0, &a.trace.roots),
        (b, &shapes.1, &b.trace.roots),
        0,
    );
    while let Some(item) = work.pop() {
        match item {
            Work::Pair(x, y, depth) => {
                rows.push(Row {
                    a: Some(x),
                    b: Some(y),
                    depth,
                });
                let children_a: Vec<SpanIdx> = a.set.children(x).collect();
                let children_b: Vec<SpanIdx> = b.set.children(y).collect();
                push_aligned(
                    &mut work,
                    (a, &shapes.0, &children_a),
                    (b, &shapes.1, &children_b),
                    depth + 1,
                );
            }
            Work::Only(presence, idx, depth) => {
                let side = if presence == Presence::OnlyA { a } else { b };
                let Some(top) = side.set.span(idx) else {
                    continue;
                };
                for index in idx.index()..top.subtree_end.index() {
                    let span = SpanIdx::at(index);
                    let below = side.set.span(span).map_or(0, |s| s.depth - top.depth);
                    let (in_a, in_b) = match presence {
                        Presence::OnlyA => (Some(span), None),
                        _ => (None, Some(span)),
                    };
                    rows.push(Row {
                        a: in_a,
                        b: in_b,
                        depth: depth + below,
                    });
                }
            }
        }
    }
    let count = |presence| rows.iter().filter(|r| r.presence() == presence).count();
    Comparison {
        matched: count(Presence::Both),
        only_a: count(Presence::OnlyA),
        only_b: count(Presence::OnlyB),
        a: Totals::of(a),
        b: Totals::of(b),
        rows,
    }
}

/// Each span's shape: a hash of its service, name and its children's
/// shapes, so that of two siblings of one name, the one whose subtree
/// matches is paired first (A's failed call and its retry beside B's one
/// call: the retry is the pair, the failure A's alone).
struct Shapes {
    first: usize,
    hashes: Vec<u64>,
}

impl Shapes {
    fn of(side: &Side) -> Shapes {
        use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher, Hash, Hasher};
        let build = BuildHasherDefault::<DefaultHasher>::default();
        let first = side.trace.spans.start as usize;
        let count = side.trace.span_count();
        let mut hashes = vec![0u64; count];
        // In pre-order, children come after their parent: from the end,
        // every child's shape is known when its parent's is made.
        for offset in (0..count).rev() {
            let idx = SpanIdx::at(first + offset);
            let mut hasher = build.build_hasher();
            key(side.set, idx).hash(&mut hasher);
            for child in side.set.children(idx) {
                let shape = hashes.get(child.index().wrapping_sub(first)).copied();
                shape.unwrap_or_default().hash(&mut hasher);
            }
            if let Some(slot) = hashes.get_mut(offset) {
                *slot = hasher.finish();
            }
        }
        Shapes { first, hashes }
    }

    fn get(&self, idx: SpanIdx) -> u64 {
        self.hashes
            .get(idx.index().wrapping_sub(self.first))
            .copied()
            .unwrap_or_default()
    }
}

/// Aligns two lists of siblings and puts the steps on the stack, last
/// first: those whose whole subtrees match first, then, between them, by
/// service and name.
fn push_aligned(
    work: &mut Vec<Work>,
    (a, shapes_a, spans_a): (&Side, &Shapes, &[SpanIdx]),
    (b, shapes_b, spans_b): (&Side, &Shapes, &[SpanIdx]),
    depth: u32,
) {
    let whole_a: Vec<u64> = spans_a.iter().map(|&idx| shapes_a.get(idx)).collect();
    let whole_b: Vec<u64> = spans_b.iter().map(|&idx| shapes_b.get(idx)).collect();
    let mut steps = Vec::with_capacity(spans_a.len() + spans_b.len());
    let (mut gap_a, mut gap_b) = (Vec::new(), Vec::new());
    let close_gap = |steps: &mut Vec<Step>, gap_a: &mut Vec<usize>, gap_b: &mut Vec<usize>| {
        let keys_a: Vec<(&str, &str)> = gap_a.iter().map(|&i| key(a.set, spans_a[i])).collect();
        let keys_b: Vec<(&str, &str)> = gap_b.iter().map(|&j| key(b.set, spans_b[j])).collect();
        steps.extend(align(&keys_a, &keys_b).into_iter().map(|step| match step {
            Step::Both(i, j) => Step::Both(gap_a[i], gap_b[j]),
            Step::OnlyA(i) => Step::OnlyA(gap_a[i]),
            Step::OnlyB(j) => Step::OnlyB(gap_b[j]),
        }));
        gap_a.clear();
        gap_b.clear();
    };
    for step in align(&whole_a, &whole_b) {
        match step {
            Step::Both(..) => {
                close_gap(&mut steps, &mut gap_a, &mut gap_b);
                steps.push(step);
            }
            Step::OnlyA(i) => gap_a.push(i),
            Step::OnlyB(j) => gap_b.push(j),
        }
    }
    close_gap(&mut steps, &mut gap_a, &mut gap_b);
    for step in steps.into_iter().rev() {
        work.push(match step {
            Step::Both(i, j) => Work::Pair(spans_a[i], spans_b[j], depth),
            Step::OnlyA(i) => Work::Only(Presence::OnlyA, spans_a[i], depth),
            Step::OnlyB(j) => Work::Only(Presence::OnlyB, spans_b[j], depth),
        });
    }
}

/// What pairs two spans: their service and name.
fn key(set: &TraceSet, idx: SpanIdx) -> (&str, &str) {
    (set.service_name(idx), set.span_name(idx))
}

/// An attribute (or the span's status or kind) that differs between a pair.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttributeChange {
    pub key: String,
    /// `None`: the span has no such attribute.
    pub a: Option<String>,
    pub b: Option<String>,
}

/// What differs between two paired spans' status, kind and attributes
/// (the resource's too), by key.
pub fn attribute_changes(a: (&TraceSet, SpanIdx), b: (&TraceSet, SpanIdx)) -> Vec<AttributeChange> {
    let facts = |(set, idx): (&TraceSet, SpanIdx)| -> Vec<(String, String)> {
        let Some(span) = set.span(idx) else {
            return Vec::new();
        };
        let mut status = format!("{:?}", span.status_code);
        let message = set.str(span.status_message);
        if !message.is_empty() {
            let _ = write!(status, ": {message}");
        }
        let mut facts = vec![
            ("(status)".to_owned(), status),
            ("(kind)".to_owned(), format!("{:?}", span.kind)),
        ];
        let resource = set.resource(span.resource).map(|r| r.attributes);
        let lists = [Some(span.attributes), resource];
        for list in lists.into_iter().flatten() {
            for attribute in set.attributes(list) {
                let key = set.str(attribute.key).to_owned();
                if !facts.iter().any(|(k, _)| *k == key) {
                    facts.push((key, value_text(set, attribute.value)));
                }
            }
        }
        facts
    };
    let (facts_a, facts_b) = (facts(a), facts(b));
    let mut keys: Vec<&String> = facts_a.iter().chain(&facts_b).map(|(k, _)| k).collect();
    keys.sort();
    keys.dedup();
    let find = |facts: &[(String, String)], key: &str| {
        facts.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
    };
    keys.into_iter()
        .filter_map(|key| {
            let (in_a, in_b) = (find(&facts_a, key), find(&facts_b, key));
            (in_a != in_b).then(|| AttributeChange {
                key: key.clone(),
                a: in_a,
                b: in_b,
            })
        })
        .collect()
}

/// One line of a line-by-line diff.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Line {
    Same(String),
    Removed(String),
    Added(String),
}

/// `a` and `b` line by line.
pub fn line_diff(a: &str, b: &str) -> Vec<Line> {
    let (lines_a, lines_b): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    align(&lines_a, &lines_b)
        .into_iter()
        .map(|step| match step {
            Step::Both(i, _) => Line::Same(lines_a[i].to_owned()),
            Step::OnlyA(i) => Line::Removed(lines_a[i].to_owned()),
            Step::OnlyB(j) => Line::Added(lines_b[j].to_owned()),
        })
        .collect()
}

/// Two paired model calls' messages (as the Markdown export writes them),
/// line by line; `None` when neither span is a model call with messages.
pub fn call_diff(a: (&TraceSet, SpanIdx), b: (&TraceSet, SpanIdx)) -> Option<Vec<Line>> {
    let call_a = crate::export::markdown::call(a.0, a.1);
    let call_b = crate::export::markdown::call(b.0, b.1);
    if call_a.is_none() && call_b.is_none() {
        return None;
    }
    Some(line_diff(
        call_a.as_deref().unwrap_or_default(),
        call_b.as_deref().unwrap_or_default(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::test_trace::trace;

    fn compared(a: &TraceSet, b: &TraceSet) -> Comparison {
        let genai = TraceGenAi::default();
        compare(
            &Side {
                set: a,
                trace: &a.traces[0],
                genai: &genai,
            },
            &Side {
                set: b,
                trace: &b.traces[0],
                genai: &genai,
            },
        )
    }

    /// Each row as `name` (both), `-name` (A only) or `+name` (B only),
    /// indented by depth.
    fn outline(a: &TraceSet, b: &TraceSet, comparison: &Comparison) -> Vec<String> {
        comparison
            .rows
            .iter()
            .map(|row| {
                let (mark, name) = match (row.a, row.b) {
                    (Some(x), Some(_)) => ("", a.span_name(x)),
                    (Some(x), None) => ("-", a.span_name(x)),
                    (None, Some(y)) => ("+", b.span_name(y)),
                    (None, None) => ("?", ""),
                };
                format!("{}{mark}{name}", "  ".repeat(row.depth as usize))
            })
            .collect()
    }

    #[test]
    fn an_added_retry_shows_as_added() {
        let a = trace(&[
            ("1", "", "agent", 0, 100),
            ("2", "1", "plan", 0, 10),
            ("3", "1", "call", 10, 40),
            ("4", "1", "tool", 40, 60),
        ]);
        let b = trace(&[
            ("1", "", "agent", 0, 150),
            ("2", "1", "plan", 0, 10),
            ("3", "1", "call", 10, 40),
            ("5", "1", "call", 40, 80),
            ("4", "1", "tool", 80, 100),
        ]);
        let comparison = compared(&a, &b);
        assert_eq!(
            outline(&a, &b, &comparison),
            ["agent", "  plan", "  call", "  +call", "  tool"]
        );
        assert_eq!(
            (comparison.matched, comparison.only_a, comparison.only_b),
            (4, 0, 1)
        );
        assert_eq!(comparison.a.duration_nanos, 100_000_000);
        assert_eq!(comparison.b.duration_nanos, 150_000_000);
        assert_eq!((comparison.a.spans, comparison.b.spans), (4, 5));
    }

    #[test]
    fn of_two_calls_of_one_name_the_one_whose_subtree_matches_pairs() {
        // A: a failed GET, then its retry, which reached the forecast; B:
        // one GET that reached it.
        let a = trace(&[
            ("1", "", "tool", 0, 100),
            ("2", "1", "GET", 0, 10),
            ("3", "1", "GET", 20, 90),
            ("4", "3", "forecast", 30, 80),
        ]);
        let b = trace(&[
            ("1", "", "tool", 0, 70),
            ("3", "1", "GET", 0, 60),
            ("4", "3", "forecast", 10, 50),
        ]);
        let comparison = compared(&a, &b);
        assert_eq!(
            outline(&a, &b, &comparison),
            ["tool", "  -GET", "  GET", "    forecast"]
        );
        assert_eq!(
            comparison.rows[2]
                .a
                .map(|idx| a.span(idx).map(|s| s.start_unix_nanos)),
            Some(Some(20_000_000))
        );
    }

    #[test]
    fn a_subtree_only_one_trace_has_comes_whole() {
        let a = trace(&[
            ("1", "", "root", 0, 100),
            ("2", "1", "cache miss", 0, 50),
            ("3", "2", "SELECT", 0, 20),
            ("4", "3", "connect", 0, 5),
            ("5", "2", "fill", 20, 50),
            ("6", "1", "render", 50, 100),
        ]);
        let b = trace(&[("1", "", "root", 0, 40), ("6", "1", "render", 0, 40)]);
        let comparison = compared(&a, &b);
        assert_eq!(
            outline(&a, &b, &comparison),
            [
                "root",
                "  -cache miss",
                "    -SELECT",
                "      -connect",
                "    -fill",
                "  render"
            ]
        );
        // Read the other way round, the same rows are B's alone.
        let reverse = compared(&b, &a);
        assert_eq!(reverse.only_b, 4);
        assert_eq!(reverse.only_a, 0);
    }

    #[test]
    fn renamed_roots_and_deep_traces() {
        let a = trace(&[("1", "", "GET /a", 0, 1)]);
        let b = trace(&[("1", "", "GET /b", 0, 1)]);
        assert_eq!(outline(&a, &b, &compared(&a, &b)), ["-GET /a", "+GET /b"]);
        // A chain 5,000 deep is walked without recursing.
        let ids: Vec<String> = (1..=5000).map(|n| format!("{n:x}")).collect();
        let chain: Vec<(&str, &str, &str, u64, u64)> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| {
                let parent = if i == 0 { "" } else { ids[i - 1].as_str() };
                (id.as_str(), parent, "step", i as u64, 10_000)
            })
            .collect();
        let deep = trace(&chain);
        let comparison = compared(&deep, &deep);
        assert_eq!(comparison.matched, 5000);
        assert_eq!(comparison.rows.last().map(|r| r.depth), Some(4999));
    }

    #[test]
    fn durations_change_past_noise() {
        assert_eq!(Change::of(100_000_000, 150_000_000), Change::Slower);
        assert_eq!(Change::of(100_000_000, 50_000_000), Change::Faster);
        // 5 %: the same.
        assert_eq!(Change::of(100_000_000, 105_000_000), Change::Same);
        // Doubled, but by 50 µs: timer noise.
        assert_eq!(Change::of(50_000, 100_000), Change::Same);
        assert_eq!(Change::of(0, 2_000_000), Change::Slower);
    }

    #[test]
    fn attributes_status_and_kind_that_differ() {
        let span = |status: &str, attributes: &str| {
            let text = format!(
                r#"{{"resourceSpans":[{{"resource":{{"attributes":[{{"key":"service.name","value":{{"stringValue":"shop"}}}}]}},"scopeSpans":[{{"spans":[{{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"0000000000000001","name":"GET /cart","kind":2,"startTimeUnixNano":"1","endTimeUnixNano":"2","status":{status},"attributes":[{attributes}]}}]}}]}}]}}"#
            );
            crate::load(text.as_bytes(), crate::Source::default())
                .expect("loads")
                .set
        };
        let a = span(
            "{}",
            r#"{"key":"http.status_code","value":{"intValue":"200"}},{"key":"region","value":{"stringValue":"eu"}},{"key":"same","value":{"boolValue":true}}"#,
        );
        let b = span(
            r#"{"code":2,"message":"timeout"}"#,
            r#"{"key":"http.status_code","value":{"intValue":"504"}},{"key":"same","value":{"boolValue":true}},{"key":"retry","value":{"intValue":"1"}}"#,
        );
        let changes = attribute_changes((&a, SpanIdx::at(0)), (&b, SpanIdx::at(0)));
        let shown: Vec<(&str, Option<&str>, Option<&str>)> = changes
            .iter()
            .map(|c| (c.key.as_str(), c.a.as_deref(), c.b.as_deref()))
            .collect();
        assert_eq!(
            shown,
            [
                ("(status)", Some("Unset"), Some("Error: timeout")),
                ("http.status_code", Some("200"), Some("504")),
                ("region", Some("eu"), None),
                ("retry", None, Some("1")),
            ]
        );
    }

    #[test]
    fn lines_diffed() {
        let diff = line_diff(
            "system: be brief\nuser: hi\nassistant: hello",
            "system: be brief\nuser: hi\nassistant: hello there",
        );
        assert_eq!(
            diff,
            [
                Line::Same("system: be brief".into()),
                Line::Same("user: hi".into()),
                Line::Removed("assistant: hello".into()),
                Line::Added("assistant: hello there".into()),
            ]
        );
    }
}

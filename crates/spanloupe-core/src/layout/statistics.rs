//! A trace's spans grouped by service and span name (and, when asked, by
//! the value of one attribute): how many, their total and self time, the
//! average, median, 95th percentile and longest duration, errors, and for
//! model calls their tokens (each call once: wrappers and second records of
//! one call are not counted). Jaeger's "trace statistics", sortable.

use std::collections::HashMap;

use super::self_time::self_time_nanos;
use crate::genai::TraceGenAi;
use crate::model::{SpanIdx, StrId, Trace, TraceSet, Value};

/// One group's figures.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    pub service: String,
    pub name: String,
    /// The grouping attribute's value, when grouping by one (empty when a
    /// span has none).
    pub value: Option<String>,
    pub count: usize,
    pub total_nanos: u64,
    pub self_nanos: u64,
    pub average_nanos: u64,
    pub median_nanos: u64,
    pub p95_nanos: u64,
    pub max_nanos: u64,
    pub errors: usize,
    pub input_tokens: u64,
    pub output_tokens: u64,
    /// The dollars of its priced model calls, and its calls with tokens
    /// but no price.
    pub cost_usd: f64,
    pub unpriced: usize,
}

/// What a table column sorts by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortBy {
    Name,
    Count,
    Total,
    SelfTime,
    Average,
    Median,
    P95,
    Max,
    Errors,
    Tokens,
    Cost,
}

/// The groups of `trace`, by total time, longest first.
pub fn statistics(
    set: &TraceSet,
    trace: &Trace,
    genai: &TraceGenAi,
    by_attribute: Option<&str>,
) -> Vec<Group> {
    let attribute = by_attribute.and_then(|key| set.strings.lookup(key));
    // Grouping by an attribute the data never names puts every span in the
    // "no value" group of its name.
    let mut groups: HashMap<(StrId, StrId, Option<String>), Gathered> = HashMap::new();
    for index in trace.spans.range() {
        let idx = SpanIdx::at(index);
        let Some(span) = set.span(idx) else {
            continue;
        };
        let service = set
            .resource(span.resource)
            .map(|r| r.service_name)
            .unwrap_or_default();
        let value = by_attribute.map(|_| {
            attribute
                .and_then(|key| {
                    set.attributes(span.attributes)
                        .iter()
                        .find(|a| a.key == key)
                        .map(|a| value_text(set, a.value))
                })
                .unwrap_or_default()
        });
        let entry = groups.entry((service, span.name, value)).or_default();
        entry.durations.push(span.duration_nanos());
        entry.self_nanos += self_time_nanos(set, idx);
        entry.errors += usize::from(span.is_error());
        if let Some(call) = genai.get(idx).filter(|g| g.counted) {
            entry.input_tokens += call.usage.input.unwrap_or(0);
            entry.output_tokens += call.usage.output.unwrap_or(0);
            match call.cost.as_ref().map(crate::genai::cost::Cost::usd) {
                Some(Some(usd)) => entry.cost_usd += usd,
                Some(None) => entry.unpriced += 1,
                None => {}
            }
        }
    }
    let mut out: Vec<Group> = groups
        .into_iter()
        .map(|((service, name, value), mut gathered)| {
            gathered.durations.sort_unstable();
            let durations = &gathered.durations;
            let count = durations.len();
            let total: u64 = durations.iter().sum();
            Group {
                service: set.str(service).to_owned(),
                name: set.str(name).to_owned(),
                value,
                count,
                total_nanos: total,
                self_nanos: gathered.self_nanos,
                average_nanos: total / count.max(1) as u64,
                median_nanos: percentile(durations, 50),
                p95_nanos: percentile(durations, 95),
                max_nanos: durations.last().copied().unwrap_or(0),
                errors: gathered.errors,
                input_tokens: gathered.input_tokens,
                output_tokens: gathered.output_tokens,
                cost_usd: gathered.cost_usd,
                unpriced: gathered.unpriced,
            }
        })
        .collect();
    sort(&mut out, SortBy::Total, true);
    out
}

/// Sorts by a column; ties by service and name, so the order is stable.
pub fn sort(groups: &mut [Group], by: SortBy, descending: bool) {
    groups.sort_by(|a, b| {
        let order = match by {
            SortBy::Name => (&a.service, &a.name, &a.value).cmp(&(&b.service, &b.name, &b.value)),
            SortBy::Count => a.count.cmp(&b.count),
            SortBy::Total => a.total_nanos.cmp(&b.total_nanos),
            SortBy::SelfTime => a.self_nanos.cmp(&b.self_nanos),
            SortBy::Average => a.average_nanos.cmp(&b.average_nanos),
            SortBy::Median => a.median_nanos.cmp(&b.median_nanos),
            SortBy::P95 => a.p95_nanos.cmp(&b.p95_nanos),
            SortBy::Max => a.max_nanos.cmp(&b.max_nanos),
            SortBy::Errors => a.errors.cmp(&b.errors),
            SortBy::Tokens => {
                (a.input_tokens + a.output_tokens).cmp(&(b.input_tokens + b.output_tokens))
            }
            SortBy::Cost => a.cost_usd.total_cmp(&b.cost_usd),
        };
        let order = if descending { order.reverse() } else { order };
        order.then_with(|| (&a.service, &a.name, &a.value).cmp(&(&b.service, &b.name, &b.value)))
    });
}

/// An attribute value as a group's label.
pub(crate) fn value_text(set: &TraceSet, value: Value) -> String {
    match value {
        Value::Str(id) => set.str(id).to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Int(n) => n.to_string(),
        Value::Double(x) => x.to_string(),
        Value::Empty => String::new(),
        other => crate::export::otlp_json::any_value_json(set, other).to_string(),
    }
}

#[derive(Default)]
struct Gathered {
    durations: Vec<u64>,
    self_nanos: u64,
    errors: usize,
    input_tokens: u64,
    output_tokens: u64,
    cost_usd: f64,
    unpriced: usize,
}

/// The nearest-rank percentile of sorted values.
fn percentile(sorted: &[u64], percent: usize) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = (percent * sorted.len()).div_ceil(100).max(1);
    sorted[rank.min(sorted.len()) - 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let values: Vec<u64> = (1..=20).collect();
        assert_eq!(percentile(&values, 50), 10);
        assert_eq!(percentile(&values, 95), 19);
        assert_eq!(percentile(&[7], 95), 7);
        assert_eq!(percentile(&[], 50), 0);
    }

    #[test]
    fn spans_are_grouped_by_service_and_name() {
        let span = |id: &str,
                    parent: &str,
                    name: &str,
                    start: u64,
                    end: u64,
                    error: bool,
                    tier: &str| {
            format!(
                r#"{{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"{id:0>16}","parentSpanId":"{}","name":"{name}","startTimeUnixNano":"{}","endTimeUnixNano":"{}","status":{{"code":{}}},"attributes":[{{"key":"tier","value":{{"stringValue":"{tier}"}}}}]}}"#,
                if parent.is_empty() {
                    String::new()
                } else {
                    format!("{parent:0>16}")
                },
                start * 1_000_000,
                end * 1_000_000,
                if error { 2 } else { 0 }
            )
        };
        let spans = [
            span("1", "", "GET /cart", 0, 100, false, "web"),
            span("2", "1", "SELECT", 10, 30, false, "db"),
            span("3", "1", "SELECT", 40, 50, true, "db"),
            span("4", "1", "SELECT", 60, 100, false, "replica"),
        ]
        .join(",");
        let text = format!(
            r#"{{"resourceSpans":[{{"resource":{{"attributes":[{{"key":"service.name","value":{{"stringValue":"cart"}}}}]}},"scopeSpans":[{{"spans":[{spans}]}}]}}]}}"#
        );
        let set = crate::load(text.as_bytes(), crate::Source::default())
            .expect("loads")
            .set;
        let trace = &set.traces[0];
        let genai = TraceGenAi::of(&set, trace);
        let groups = statistics(&set, trace, &genai, None);
        let select = groups.iter().find(|g| g.name == "SELECT").expect("SELECT");
        assert_eq!(
            (select.count, select.total_nanos / 1_000_000, select.errors),
            (3, 70, 1)
        );
        assert_eq!(
            (
                select.median_nanos / 1_000_000,
                select.p95_nanos / 1_000_000,
                select.max_nanos / 1_000_000,
                select.average_nanos / 1_000_000
            ),
            (20, 40, 40, 23)
        );
        let root = groups.iter().find(|g| g.name == "GET /cart").expect("root");
        // 100 ms less the children's 70 ms.
        assert_eq!(root.self_nanos / 1_000_000, 30);
        assert_eq!(root.service, "cart");
        // By total, longest first.
        assert_eq!(groups[0].name, "GET /cart");

        let by_tier = statistics(&set, trace, &genai, Some("tier"));
        let mut labels: Vec<(String, Option<String>, usize)> = by_tier
            .iter()
            .map(|g| (g.name.clone(), g.value.clone(), g.count))
            .collect();
        labels.sort();
        assert_eq!(
            labels,
            [
                ("GET /cart".to_owned(), Some("web".to_owned()), 1),
                ("SELECT".to_owned(), Some("db".to_owned()), 2),
                ("SELECT".to_owned(), Some("replica".to_owned()), 1),
            ]
        );
        let mut sorted = groups.clone();
        sort(&mut sorted, SortBy::Count, true);
        assert_eq!(sorted[0].name, "SELECT");
        sort(&mut sorted, SortBy::Name, false);
        assert_eq!(sorted[0].name, "GET /cart");
    }
}

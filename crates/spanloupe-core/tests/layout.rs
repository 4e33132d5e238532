//! The views' layout math on real traces: rows under collapse and filters,
//! search, self time and the trace table.

mod common;

use common::{load_corpus, load_str, span_named};
use spanloupe_core::layout::rows::{collapse_all, collapse_from_depth, keep_matches, reveal};
use spanloupe_core::layout::search::{Query, errors, search, step};
use spanloupe_core::layout::self_time::self_time_nanos;
use spanloupe_core::layout::trace_list::{Column, ROW_HEIGHT_PX, rows_on_screen, trace_rows};
use spanloupe_core::layout::{SpanSet, visible_rows};
use spanloupe_core::model::{SpanIdx, TraceSet};

fn demo() -> TraceSet {
    common::load_demo().set
}

fn names(set: &TraceSet, rows: &spanloupe_core::layout::Rows) -> Vec<String> {
    rows.iter(set)
        .map(|r| format!("{}{}", "  ".repeat(r.depth as usize), set.span_name(r.span)))
        .collect()
}

#[test]
fn collapsing_hides_a_subtree_and_expanding_brings_it_back() {
    let set = demo();
    let trace = &set.traces[0];
    let mut collapsed = SpanSet::for_trace(trace);
    assert_eq!(visible_rows(&set, trace, &collapsed, None).len(), 9);
    let tool = span_named(&set, "execute_tool get_weather");
    collapsed.insert(tool);
    let rows = visible_rows(&set, trace, &collapsed, None);
    assert_eq!(
        names(&set, &rows),
        [
            "invoke_agent trip_planner",
            "  chat gpt-4o-mini",
            "    POST",
            "  execute_tool get_weather",
            "  chat gpt-4o-mini",
            "    POST"
        ]
    );
    let tool_row = rows.iter(&set).find(|r| r.span == tool).unwrap();
    assert!(tool_row.collapsed && tool_row.has_children);
    let post = rows
        .iter(&set)
        .find(|r| set.span_name(r.span) == "POST")
        .unwrap();
    assert!(!post.has_children);
    collapsed.toggle(tool);
    assert_eq!(visible_rows(&set, trace, &collapsed, None).len(), 9);
}

#[test]
fn collapse_all_and_collapse_to_depth() {
    let set = demo();
    let trace = &set.traces[0];
    assert_eq!(
        names(
            &set,
            &visible_rows(&set, trace, &collapse_all(&set, trace), None)
        ),
        ["invoke_agent trip_planner"]
    );
    let two_levels = visible_rows(&set, trace, &collapse_from_depth(&set, trace, 2), None);
    assert_eq!(two_levels.len(), 4);
    assert!(two_levels.iter(&set).all(|r| r.depth <= 1));
    let three_levels = visible_rows(&set, trace, &collapse_from_depth(&set, trace, 3), None);
    assert_eq!(
        three_levels.len(),
        8,
        "everything but the server span at depth 3"
    );
}

#[test]
fn reveal_expands_the_ancestors_of_a_hidden_span() {
    let set = demo();
    let trace = &set.traces[0];
    let mut collapsed = collapse_all(&set, trace);
    let server = span_named(&set, "GET /v1/forecast");
    assert!(reveal(&set, &mut collapsed, server));
    let rows = visible_rows(&set, trace, &collapsed, None);
    assert!(rows.iter(&set).any(|r| r.span == server));
    assert!(rows.position(server).is_some());
    assert!(
        !reveal(&set, &mut collapsed, server),
        "nothing left to expand"
    );
}

#[test]
fn search_finds_names_services_keys_and_values() {
    let set = demo();
    let trace = &set.traces[0];
    let found = |q: &str| -> Vec<String> {
        search(&set, trace, &Query::parse(q).unwrap())
            .iter()
            .map(|s| set.span_name(*s).to_owned())
            .collect()
    };
    // The chat spans match through their tool definition ("Daily forecast for a city").
    assert_eq!(
        found("forecast"),
        [
            "chat gpt-4o-mini",
            "execute_tool get_weather",
            "GET",
            "GET",
            "GET /v1/forecast",
            "chat gpt-4o-mini"
        ]
    );
    assert_eq!(
        found("WEATHER-API"),
        ["GET", "GET", "GET /v1/forecast"],
        "service and values, case-insensitive"
    );
    assert_eq!(found("http.response.status_code=503"), ["GET"]);
    assert_eq!(
        found("status_code=200").len(),
        4,
        "int values match as text"
    );
    assert_eq!(found("resend_count"), ["GET"], "attribute keys");
    // Numbers are searched as text when the query could be part of one.
    assert_eq!(found("503"), ["GET"], "an int value");
    assert!(
        found("0.2").contains(&"chat gpt-4o-mini".to_owned()),
        "a double value (temperature 0.2)"
    );
    assert!(found("no such thing").is_empty());
    assert_eq!(Query::parse("  "), None);
}

#[test]
fn filtering_keeps_matches_and_their_ancestors() {
    let set = demo();
    let trace = &set.traces[0];
    let matches = search(&set, trace, &Query::parse("status_code=503").unwrap());
    let keep = keep_matches(&set, trace, &matches);
    let rows = visible_rows(&set, trace, &SpanSet::for_trace(trace), Some(&keep));
    assert_eq!(
        names(&set, &rows),
        [
            "invoke_agent trip_planner",
            "  execute_tool get_weather",
            "    GET"
        ]
    );
}

#[test]
fn stepping_through_matches_and_errors_wraps_around() {
    let set = demo();
    let trace = &set.traces[0];
    let errs = errors(&set, trace);
    assert_eq!(errs.len(), 1);
    assert_eq!(step(&errs, None, true), Some(errs[0]));
    assert_eq!(step(&errs, Some(errs[0]), true), Some(errs[0]));
    let list = [SpanIdx(2), SpanIdx(5), SpanIdx(7)];
    assert_eq!(step(&list, Some(SpanIdx(5)), true), Some(SpanIdx(7)));
    assert_eq!(step(&list, Some(SpanIdx(7)), true), Some(SpanIdx(2)));
    assert_eq!(step(&list, Some(SpanIdx(2)), false), Some(SpanIdx(7)));
    assert_eq!(step(&list, Some(SpanIdx(6)), false), Some(SpanIdx(5)));
    assert_eq!(step(&list, None, false), Some(SpanIdx(7)));
    assert_eq!(step(&[], None, true), None);
}

#[test]
fn self_time_subtracts_the_union_of_children() {
    // parent 0..100, children 10..40 and 30..60 (overlapping) and 90..120 (past the end).
    let span = |id: u64, parent: &str, start: u64, end: u64| {
        format!(
            r#"{{"traceId":"00000000000000000000000000000001","spanId":"{id:016x}","parentSpanId":"{parent}","name":"s{id}","startTimeUnixNano":"{start}","endTimeUnixNano":"{end}"}}"#
        )
    };
    let p = "0000000000000001";
    let spans = [
        span(1, "", 0, 100),
        span(2, p, 10, 40),
        span(3, p, 30, 60),
        span(4, p, 90, 120),
    ]
    .join(",");
    let set = load_str(&format!(
        r#"{{"resourceSpans":[{{"scopeSpans":[{{"spans":[{spans}]}}]}}]}}"#
    ))
    .unwrap()
    .set;
    assert_eq!(self_time_nanos(&set, span_named(&set, "s1")), 100 - 50 - 10);
    assert_eq!(self_time_nanos(&set, span_named(&set, "s2")), 30);
}

#[test]
fn the_trace_table_filters_and_sorts() {
    let set = load_corpus("oteltui-demo-fileexporter.jsonl").set;
    let all = trace_rows(&set, "", Column::Start, false);
    assert_eq!(all.len(), 141);
    let by_spans = trace_rows(&set, "", Column::Spans, true);
    let counts: Vec<usize> = by_spans
        .iter()
        .map(|&i| set.traces[i].span_count())
        .collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]));
    let by_duration = trace_rows(&set, "", Column::Duration, false);
    assert!(
        by_duration
            .windows(2)
            .all(|w| set.traces[w[0]].duration_nanos() <= set.traces[w[1]].duration_nanos())
    );
    let checkout = trace_rows(&set, "checkout", Column::Start, false);
    assert!(!checkout.is_empty() && checkout.len() < 141);
    for i in checkout {
        let trace = &set.traces[i];
        let name = spanloupe_core::layout::trace_list::trace_name(&set, trace).to_lowercase();
        let services: Vec<&str> = trace.services.iter().map(|s| set.str(*s)).collect();
        assert!(
            name.contains("checkout") || services.iter().any(|s| s.contains("checkout")),
            "{name} {services:?}"
        );
    }
}

#[test]
fn the_trace_table_draws_the_rows_on_screen_and_a_few_past_its_edges() {
    // 30 px rows, a 600 px screen: 20 rows on screen, 10 more each side.
    assert_eq!(rows_on_screen(17_172, 0.0, 600.0), 0..31);
    assert_eq!(rows_on_screen(17_172, 3_000.0, 600.0), 90..131);
    let bottom = 17_172.0 * ROW_HEIGHT_PX - 600.0;
    assert_eq!(rows_on_screen(17_172, bottom, 600.0), 17_142..17_172);
    // Scrolled past the end (a filter shortened the table), or none at all.
    assert_eq!(rows_on_screen(5, 90_000.0, 600.0), 5..5);
    assert_eq!(rows_on_screen(0, 0.0, 600.0), 0..0);
    assert_eq!(rows_on_screen(40, -50.0, 600.0), 0..29);
}

#[test]
fn the_minimap_draws_every_span_in_its_service_colour_and_errors_on_top() {
    use spanloupe_core::layout::minimap::{Minimap, minimap};
    let set = demo();
    let trace = &set.traces[0];
    // 9 spans in 9 pixel rows: a row each.
    let map = minimap(&set, trace, 100, 9);
    assert_eq!(map.cells.len(), 900);
    let row = |r: usize| &map.cells[r * 100..(r + 1) * 100];
    // Row 0 is the root, across the whole width.
    assert!(row(0).iter().all(|&c| c == 1));
    // Row 4 is the failed GET: red from 34% of the trace.
    let red: Vec<usize> = (0..100).filter(|&x| row(4)[x] == Minimap::ERROR).collect();
    assert_eq!(
        (red[0], *red.last().unwrap()),
        (34, 40),
        "1425 ms to 1731 ms of 4180 ms; the end is exclusive"
    );
    // Row 6 is the weather service's span: its second colour.
    assert!(row(6).contains(&2));

    // 9 spans in 36 rows: bands of 3 rows and a gap.
    let tall = minimap(&set, trace, 100, 36);
    let filled = |r: usize| tall.cells[r * 100..(r + 1) * 100].iter().any(|&c| c != 0);
    assert_eq!(
        (0..4).map(filled).collect::<Vec<_>>(),
        [true, true, true, false]
    );
}

#[test]
fn a_span_at_the_very_end_of_the_trace_still_gets_a_minimap_cell() {
    use spanloupe_core::layout::minimap::minimap;
    let span = |id: u64, parent: &str, start: u64, end: u64| {
        format!(
            r#"{{"traceId":"00000000000000000000000000000001","spanId":"{id:016x}","parentSpanId":"{parent}","name":"s{id}","startTimeUnixNano":"{start}","endTimeUnixNano":"{end}"}}"#
        )
    };
    let spans = [span(1, "", 0, 100), span(2, "0000000000000001", 100, 100)].join(",");
    let set = load_str(&format!(
        r#"{{"resourceSpans":[{{"scopeSpans":[{{"spans":[{spans}]}}]}}]}}"#
    ))
    .unwrap()
    .set;
    let map = minimap(&set, &set.traces[0], 10, 2);
    assert_eq!(
        map.cells[10..20],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
        "the last cell of its row"
    );
    // And a trace of one zero-length span.
    let single = load_str(&format!(
        r#"{{"resourceSpans":[{{"scopeSpans":[{{"spans":[{}]}}]}}]}}"#,
        span(1, "", 5, 5)
    ))
    .unwrap()
    .set;
    assert_eq!(
        minimap(&single, &single.traces[0], 4, 1).cells,
        [1, 0, 0, 0]
    );
}

#[test]
fn an_attribute_table_filters_keys_and_shows_a_page_at_a_time() {
    use spanloupe_core::layout::attributes::{PAGE_ROWS, matching_keys, rows_shown};
    let set = load_corpus("otelproto-trace.json").set;
    let span = &set.spans[0];
    let attributes = set.attributes(span.attributes);
    assert_eq!(matching_keys(&set, attributes, "  "), None);
    let key = set.str(attributes[0].key).to_uppercase();
    let found = matching_keys(&set, attributes, &key).unwrap();
    assert!(found.contains(&0), "{key}");
    assert_eq!(
        matching_keys(&set, attributes, "no such key at all"),
        Some(vec![])
    );
    assert_eq!(rows_shown(1_000_000, 1), PAGE_ROWS);
    assert_eq!(rows_shown(1_000_000, 3), 3 * PAGE_ROWS);
    assert_eq!(rows_shown(150, 1), 150);
    assert_eq!(rows_shown(10, usize::MAX), 10);
}

//! The waterfall as SVG: well-formed, the rows shown in order with their
//! names and bars, collapsed children left out, the zoom window respected.
#![allow(clippy::expect_used)]

mod common;

use common::span_named;
use spanloupe_core::export::svg;
use spanloupe_core::layout::SpanSet;
use spanloupe_core::layout::rows::visible_rows;

fn texts(svg: &str) -> Vec<String> {
    let document = roxmltree::Document::parse(svg).expect("well-formed SVG");
    document
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| {
            n.descendants()
                .filter(|d| d.is_text())
                .filter_map(|d| d.text())
                .collect::<String>()
        })
        .collect()
}

#[test]
fn the_demo_waterfall_is_an_svg_of_its_rows() {
    let loaded = common::load_demo();
    let set = &loaded.set;
    let trace = &set.traces[0];
    let rows = visible_rows(set, trace, &SpanSet::for_trace(trace), None);
    let window = (trace.start_unix_nanos, trace.end_unix_nanos);
    let picture = svg::waterfall(set, trace, &rows, window);
    let texts = texts(&picture);
    assert_eq!(texts[0], "invoke_agent trip_planner");
    assert!(
        texts[1].contains("9 spans") && texts[1].contains("1 error"),
        "{}",
        texts[1]
    );
    let names: Vec<String> = rows
        .iter(set)
        .map(|row| {
            format!(
                "{} {}",
                set.str(set.span(row.span).expect("span").name),
                set.service_name(row.span)
            )
        })
        .collect();
    let drawn: Vec<&String> = texts.iter().filter(|t| names.contains(t)).collect();
    assert_eq!(
        drawn,
        names.iter().collect::<Vec<_>>(),
        "every row, in order"
    );
    // The failed span's bar is outlined in red.
    assert_eq!(picture.matches(r##"stroke="#d0393e""##).count(), 1);
}

#[test]
fn collapsed_children_and_the_zoom_window_are_as_on_screen() {
    let loaded = common::load_demo();
    let set = &loaded.set;
    let trace = &set.traces[0];
    let root = trace.root().expect("root");
    let mut collapsed = SpanSet::for_trace(trace);
    collapsed.insert(root);
    let rows = visible_rows(set, trace, &collapsed, None);
    assert_eq!(rows.len(), 1);
    let picture = svg::waterfall(
        set,
        trace,
        &rows,
        (trace.start_unix_nanos, trace.end_unix_nanos),
    );
    let texts = texts(&picture);
    assert!(
        texts
            .iter()
            .any(|t| t == "▸ invoke_agent trip_planner trip-planner"),
        "{texts:?}"
    );
    assert!(!texts.iter().any(|t| t.starts_with("chat ")));

    // Zoomed on the tool run: the header says so.
    let tool = set
        .span(span_named(set, "execute_tool get_weather"))
        .expect("span");
    let rows = visible_rows(set, trace, &SpanSet::for_trace(trace), None);
    let picture = svg::waterfall(
        set,
        trace,
        &rows,
        (tool.start_unix_nanos, tool.end_unix_nanos),
    );
    assert!(self::texts(&picture)[1].contains("showing"));
}

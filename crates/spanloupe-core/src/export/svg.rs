//! The waterfall as an SVG picture, for a bug report or a docs page: the
//! trace's name and facts, the ruler, and the rows shown (collapsed spans'
//! children left out, as on screen) over the time window shown, in vector
//! shapes and real text, in the viewer's service colours on white.

use std::fmt::Write as _;

use crate::format;
use crate::layout::palette::span_color;
use crate::layout::{Rows, TimeScale};
use crate::model::{Trace, TraceSet};

/// More rows than this are left out (said at the bottom): a picture of
/// tens of thousands of rows helps nobody and takes a browser minutes.
pub const MAX_ROWS: usize = 2_000;

const WIDTH: f64 = 1200.0;
const NAME_WIDTH: f64 = 420.0;
const ROW_HEIGHT: f64 = 22.0;
const HEADER_HEIGHT: f64 = 58.0;
const RULER_HEIGHT: f64 = 24.0;
const INDENT: f64 = 14.0;
/// Room right of the timeline for the last bar's duration.
const RIGHT_MARGIN: f64 = 70.0;
const ERROR_COLOR: &str = "#d0393e";
const TEXT_COLOR: &str = "#1d2430";
const MUTED_COLOR: &str = "#5d6778";
const LINE_COLOR: &str = "#dde1e7";

/// The SVG of `trace`'s `rows` over `window` (absolute Unix nanoseconds).
pub fn waterfall(set: &TraceSet, trace: &Trace, rows: &Rows, window: (u64, u64)) -> String {
    let shown = rows.len().min(MAX_ROWS);
    let left_out = rows.len() - shown;
    let timeline_x = NAME_WIDTH + 8.0;
    let scale = TimeScale::new(window.0, window.1, WIDTH - timeline_x - RIGHT_MARGIN);
    let rows_top = HEADER_HEIGHT + RULER_HEIGHT;
    #[allow(clippy::cast_precision_loss)] // at most MAX_ROWS rows
    let height = rows_top + (shown as f64) * ROW_HEIGHT + if left_out > 0 { 28.0 } else { 8.0 };

    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif" font-size="12">"#
    );
    let _ = write!(
        out,
        r##"<rect width="{WIDTH}" height="{height}" fill="#ffffff"/><clipPath id="names"><rect x="0" y="0" width="{}" height="{height}"/></clipPath>"##,
        NAME_WIDTH - 6.0
    );
    write_header(&mut out, set, trace, window);
    write_ruler(&mut out, &scale, trace, timeline_x, height);
    for (position, row) in rows.iter(set).take(shown).enumerate() {
        let Some(span) = set.span(row.span) else {
            continue;
        };
        #[allow(clippy::cast_precision_loss)] // at most MAX_ROWS rows
        let y = rows_top + position as f64 * ROW_HEIGHT;
        let text_y = y + ROW_HEIGHT / 2.0 + 4.0;
        let color = span_color(set, row.span);
        let _ = write!(
            out,
            r#"<line x1="0" y1="{bottom}" x2="{WIDTH}" y2="{bottom}" stroke="{LINE_COLOR}" stroke-width="0.5"/>"#,
            bottom = y + ROW_HEIGHT
        );
        // The name, indented by depth, with the service's mark.
        let indent = 8.0 + f64::from(row.depth) * INDENT;
        let marker = if row.collapsed { "▸ " } else { "" };
        let name_color = if span.is_error() {
            ERROR_COLOR
        } else {
            TEXT_COLOR
        };
        let _ = write!(
            out,
            r#"<g clip-path="url(#names)"><rect x="{indent}" y="{}" width="3" height="{}" fill="{color}"/><text x="{}" y="{text_y}" fill="{name_color}">{marker}{}<tspan fill="{MUTED_COLOR}" font-size="11"> {}</tspan></text></g>"#,
            y + 5.0,
            ROW_HEIGHT - 10.0,
            indent + 8.0,
            escape(set.str(span.name)),
            escape(set.service_name(row.span)),
        );
        // The bar, clipped to the window.
        let start = scale.x_px(span.start_unix_nanos).max(0.0);
        let end = scale.x_px(span.end_unix_nanos).min(scale.width_px);
        if end < 0.0 || start > scale.width_px {
            continue;
        }
        let bar_width = (end - start).max(1.0);
        let stroke = if span.is_error() {
            format!(r#" stroke="{ERROR_COLOR}" stroke-width="1.5""#)
        } else {
            String::new()
        };
        let _ = write!(
            out,
            r#"<rect x="{:.1}" y="{}" width="{bar_width:.1}" height="{}" rx="2" fill="{color}"{stroke}/>"#,
            timeline_x + start,
            y + 5.0,
            ROW_HEIGHT - 10.0,
        );
        let _ = write!(
            out,
            r#"<text x="{:.1}" y="{text_y}" fill="{MUTED_COLOR}" font-size="11">{}</text>"#,
            timeline_x + start + bar_width + 4.0,
            escape(&format::duration(span.duration_nanos())),
        );
    }
    if left_out > 0 {
        #[allow(clippy::cast_precision_loss)] // at most MAX_ROWS rows
        let y = rows_top + shown as f64 * ROW_HEIGHT + 18.0;
        let _ = write!(
            out,
            r#"<text x="8" y="{y}" fill="{MUTED_COLOR}">… {} more not drawn</text>"#,
            format::count(left_out, "row", "rows")
        );
    }
    out.push_str("</svg>\n");
    out
}

fn write_header(out: &mut String, set: &TraceSet, trace: &Trace, window: (u64, u64)) {
    let name = trace
        .roots
        .first()
        .and_then(|&r| set.span(r))
        .map_or("trace", |span| set.str(span.name));
    let mut facts = vec![
        format!("{}", trace.trace_id),
        format::utc_timestamp(trace.start_unix_nanos),
        format::duration(trace.duration_nanos()),
        format::count(trace.span_count(), "span", "spans"),
    ];
    if trace.error_count > 0 {
        facts.push(format::count(trace.error_count, "error", "errors"));
    }
    if window != (trace.start_unix_nanos, trace.end_unix_nanos) {
        facts.push(format!(
            "showing {} from +{}",
            format::duration(window.1.saturating_sub(window.0)),
            format::duration(window.0.saturating_sub(trace.start_unix_nanos))
        ));
    }
    let _ = write!(
        out,
        r#"<text x="8" y="24" font-size="16" font-weight="600" fill="{TEXT_COLOR}">{}</text><text x="8" y="44" fill="{MUTED_COLOR}">{}</text>"#,
        escape(name),
        escape(&facts.join(" · "))
    );
}

fn write_ruler(out: &mut String, scale: &TimeScale, trace: &Trace, timeline_x: f64, height: f64) {
    let top = HEADER_HEIGHT;
    let _ = write!(
        out,
        r##"<rect x="0" y="{top}" width="{WIDTH}" height="{RULER_HEIGHT}" fill="#f5f6f8"/><text x="8" y="{}" font-weight="600" fill="{MUTED_COLOR}">Span</text><line x1="{NAME_WIDTH}" y1="{top}" x2="{NAME_WIDTH}" y2="{height}" stroke="{LINE_COLOR}"/>"##,
        top + 16.0
    );
    for tick in scale.ticks(trace.start_unix_nanos, 72.0) {
        let x = timeline_x + tick.x_px;
        let _ = write!(
            out,
            r#"<line x1="{x:.1}" y1="{top}" x2="{x:.1}" y2="{height}" stroke="{LINE_COLOR}" stroke-width="0.5"/><text x="{:.1}" y="{}" font-size="11" fill="{MUTED_COLOR}">{}</text>"#,
            x + 3.0,
            top + 16.0,
            escape(&tick.label)
        );
    }
}

/// Text for SVG (XML): markup characters as entities, control characters
/// (not allowed in XML 1.0) dropped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_cannot_become_markup() {
        assert_eq!(
            escape("<script>\"a\" & b\u{1}\n"),
            "&lt;script&gt;&quot;a&quot; &amp; b "
        );
    }
}

//! The viewer inside another page (a docs portal, a wiki, a CI report): the
//! options its address carries (`?embed=1&hide=minimap,inspector&theme=dark
//! &collapse=2&autoheight=1&origin=https://docs.example.com`) and the
//! postMessage protocol it speaks with the page that embeds it.

use crate::model::ids::{SpanId, TraceId};
use crate::model::{SpanIdx, TraceSet};

/// The protocol's version, sent with `spanloupe:ready`; a host can refuse
/// a viewer newer than it knows.
pub const PROTOCOL_VERSION: u32 = 1;

/// The `type` of each message. The host sends `PING`, `OPEN`, `SELECT` and
/// `THEME`; the viewer the others.
pub mod message {
    pub const READY: &str = "spanloupe:ready";
    pub const PING: &str = "spanloupe:ping";
    pub const OPEN: &str = "spanloupe:open";
    pub const SELECT: &str = "spanloupe:select";
    pub const THEME: &str = "spanloupe:theme";
    pub const LOADED: &str = "spanloupe:loaded";
    pub const ERROR: &str = "spanloupe:error";
    pub const SELECTED: &str = "spanloupe:selected";
    pub const HEIGHT: &str = "spanloupe:height";
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

impl Theme {
    pub fn name(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    pub fn from_name(name: &str) -> Option<Theme> {
        match name.trim() {
            "light" => Some(Theme::Light),
            "dark" => Some(Theme::Dark),
            _ => None,
        }
    }
}

/// Parts of the trace page a host can leave out (`hide=`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Hidden {
    pub minimap: bool,
    pub inspector: bool,
    pub search: bool,
}

/// The options of the address the viewer was opened with.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EmbedOptions {
    /// `embed=1`: compact chrome, no start screen or file menu, no demo;
    /// the data comes from `?url=`, `?connect=` or the host page.
    pub embedded: bool,
    pub hidden: Hidden,
    /// `theme=`; `None` follows the system's.
    pub theme: Option<Theme>,
    /// `collapse=N`: a trace opens showing N levels.
    pub collapse_depth: Option<u32>,
    /// `autoheight=1`: the viewer reports its content's height, so the host
    /// can size its frame to it.
    pub autoheight: bool,
    /// `origin=`: the only origins whose messages are taken (and to which
    /// replies go); `None` takes the parent page's, whatever its origin.
    /// Given but with nothing valid, it takes none.
    pub origins: Option<Vec<String>>,
    /// What was not understood, as a user would fix it.
    pub problems: Vec<String>,
}

impl EmbedOptions {
    /// Reads a page's query string (`?…`, as `location.search` has it).
    pub fn from_query(query: &str) -> EmbedOptions {
        let mut options = EmbedOptions::default();
        for (name, value) in crate::query_string::pairs(query) {
            match name.as_str() {
                "embed" => options.embedded = is_on(&value),
                "autoheight" => options.autoheight = is_on(&value),
                "theme" => match Theme::from_name(&value) {
                    Some(theme) => options.theme = Some(theme),
                    None => options.problems.push(format!(
                        "theme= must be light or dark, found {}",
                        crate::format::quoted(&value)
                    )),
                },
                "collapse" => match value.trim().parse::<u32>() {
                    Ok(depth) if depth >= 1 => options.collapse_depth = Some(depth),
                    _ => options.problems.push(format!(
                        "collapse= must be the number of levels to show (1 or more), found {}",
                        crate::format::quoted(&value)
                    )),
                },
                "hide" => {
                    for part in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                        match part {
                            "minimap" => options.hidden.minimap = true,
                            "inspector" => options.hidden.inspector = true,
                            "search" => options.hidden.search = true,
                            other => options.problems.push(format!(
                                "hide= takes minimap, inspector and search, found {}",
                                crate::format::quoted(other)
                            )),
                        }
                    }
                }
                "origin" => {
                    let origins = options.origins.get_or_insert_with(Vec::new);
                    for part in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                        match origin_of(part) {
                            Some(origin) => origins.push(origin),
                            None => options.problems.push(format!(
                                "origin= must list origins such as https://docs.example.com, found {}",
                                crate::format::quoted(part)
                            )),
                        }
                    }
                }
                _ => {}
            }
        }
        options
    }

    /// Whether a message from `origin` (already known to come from the
    /// parent window) is taken.
    pub fn accepts(&self, origin: &str) -> bool {
        match &self.origins {
            None => true,
            Some(origins) => origins.iter().any(|o| o == origin),
        }
    }
}

fn is_on(value: &str) -> bool {
    matches!(value.trim(), "" | "1" | "true" | "yes")
}

/// An origin as a browser writes `MessageEvent.origin`: scheme, host and
/// port, no path or trailing slash.
fn origin_of(text: &str) -> Option<String> {
    let (scheme, rest) = text.split_once("://")?;
    if !matches!(scheme, "http" | "https") {
        return None;
    }
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if host.is_empty() || host.contains('@') {
        return None;
    }
    Some(format!("{scheme}://{}", host.to_ascii_lowercase()))
}

/// What `spanloupe:loaded` reports of what opened.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LoadedSummary {
    pub traces: usize,
    pub spans: usize,
    /// Spans with an error status.
    pub errors: usize,
    pub warnings: usize,
}

impl LoadedSummary {
    pub fn of(set: &TraceSet) -> LoadedSummary {
        LoadedSummary {
            traces: set.traces.len(),
            spans: set.spans.len(),
            errors: set.traces.iter().map(|t| t.error_count).sum(),
            warnings: set.warnings.total(),
        }
    }
}

/// What `spanloupe:select {trace?, span?}` names in `set`: the trace to
/// open (its position) and the span to select in it. A span without its
/// trace is looked for in every trace; the error says what was not found,
/// as the host's developer would fix it.
pub fn find_selection(
    set: &TraceSet,
    trace: Option<&str>,
    span: Option<&str>,
) -> Result<(usize, Option<SpanIdx>), String> {
    let trace_id = match trace {
        Some(text) => Some(TraceId::parse(text).ok_or_else(|| {
            format!(
                "spanloupe:select: trace must be a trace id of 32 hex characters, found {}",
                crate::format::quoted(text)
            )
        })?),
        None => None,
    };
    let span_id = match span {
        Some(text) => Some(SpanId::parse(text).ok_or_else(|| {
            format!(
                "spanloupe:select: span must be a span id of 16 hex characters, found {}",
                crate::format::quoted(text)
            )
        })?),
        None => None,
    };
    match (trace_id, span_id) {
        (None, None) => Err("spanloupe:select needs a trace, a span or both".to_owned()),
        (Some(trace_id), None) => set
            .trace_position(trace_id)
            .map(|position| (position, None))
            .ok_or_else(|| format!("spanloupe:select: no trace {trace_id} is open")),
        (trace_id, Some(span_id)) => set
            .traces
            .iter()
            .enumerate()
            .filter(|(_, trace)| trace_id.is_none_or(|id| id == trace.trace_id))
            .find_map(|(position, trace)| {
                let span = set.find_span(trace.trace_id, span_id)?;
                Some((position, Some(span)))
            })
            .ok_or_else(|| match trace_id {
                Some(trace_id) => {
                    format!("spanloupe:select: no span {span_id} in trace {trace_id}")
                }
                None => format!("spanloupe:select: no span {span_id} in what is open"),
            }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_option_is_read() {
        let options = EmbedOptions::from_query(
            "?embed=1&hide=minimap,inspector,search&theme=dark&collapse=2&autoheight=1\
             &origin=https://Docs.Example.com/guide/,http://127.0.0.1:8000",
        );
        assert_eq!(
            options,
            EmbedOptions {
                embedded: true,
                hidden: Hidden {
                    minimap: true,
                    inspector: true,
                    search: true
                },
                theme: Some(Theme::Dark),
                collapse_depth: Some(2),
                autoheight: true,
                origins: Some(vec![
                    "https://docs.example.com".to_owned(),
                    "http://127.0.0.1:8000".to_owned()
                ]),
                problems: vec![],
            }
        );
    }

    #[test]
    fn no_options_is_the_full_app() {
        let options = EmbedOptions::from_query("?url=trace.json");
        assert!(!options.embedded);
        assert_eq!(options, EmbedOptions::default());
        assert!(options.accepts("https://anything.example"));
    }

    #[test]
    fn origins_are_a_whitelist_when_given() {
        let options = EmbedOptions::from_query("?embed=1&origin=https://docs.example.com");
        assert!(options.accepts("https://docs.example.com"));
        assert!(!options.accepts("https://evil.example"));
        assert!(!options.accepts("https://docs.example.com.evil.example"));
        assert!(!options.accepts("null"));
    }

    #[test]
    fn wrong_values_are_said_and_ignored() {
        let options = EmbedOptions::from_query(
            "?embed=0&theme=blue&collapse=0&hide=toolbar&origin=javascript:alert(1)",
        );
        assert!(!options.embedded);
        assert_eq!(options.theme, None);
        assert_eq!(options.collapse_depth, None);
        assert_eq!(options.hidden, Hidden::default());
        assert_eq!(options.origins, Some(vec![]));
        assert!(!options.accepts("https://docs.example.com"));
        assert_eq!(
            options.problems,
            vec![
                "theme= must be light or dark, found \"blue\"".to_owned(),
                "collapse= must be the number of levels to show (1 or more), found \"0\""
                    .to_owned(),
                "hide= takes minimap, inspector and search, found \"toolbar\"".to_owned(),
                "origin= must list origins such as https://docs.example.com, found \"javascript:alert(1)\""
                    .to_owned(),
            ]
        );
    }

    #[test]
    fn an_origin_list_that_is_all_wrong_accepts_nothing() {
        // A host that meant to restrict origins and misspelled them must not
        // end up open to every origin.
        let options = EmbedOptions::from_query("?embed=1&origin=docs.example.com");
        assert!(!options.accepts("https://docs.example.com"));
        assert!(!options.accepts("https://evil.example"));
    }

    #[test]
    fn the_loaded_summary_counts_traces_spans_errors_and_warnings() {
        let span = |trace: &str, id: &str, status: u8| {
            format!(
                r#"{{"traceId":"{trace}","spanId":"{id}","name":"s","startTimeUnixNano":"1","endTimeUnixNano":"2","status":{{"code":{status}}}}}"#
            )
        };
        let a = "0af7651916cd43dd8448eb211c80319c";
        let b = "1af7651916cd43dd8448eb211c80319c";
        let spans = [
            span(a, "b7ad6b7169203331", 2),
            span(a, "c7ad6b7169203331", 0),
            span(b, "d7ad6b7169203331", 2),
            span(b, "e7ad6b7169203331", 1).replace(
                r#""name""#,
                // A parent that is not in the data: read, with a warning.
                r#""parentSpanId":"f7ad6b7169203331","name""#,
            ),
        ]
        .join(",");
        let text = format!(r#"{{"resourceSpans":[{{"scopeSpans":[{{"spans":[{spans}]}}]}}]}}"#);
        let set = crate::load(text.as_bytes(), crate::Source::default())
            .expect("the spans load")
            .set;
        assert_eq!(
            LoadedSummary::of(&set),
            LoadedSummary {
                traces: 2,
                spans: 4,
                errors: 2,
                warnings: set.warnings.total(),
            }
        );
        assert!(set.warnings.total() >= 1);
    }

    #[test]
    fn a_selection_is_found_by_its_ids() {
        let text = r#"{"resourceSpans":[{"scopeSpans":[{"spans":[
            {"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203331","name":"a","startTimeUnixNano":"1","endTimeUnixNano":"5"},
            {"traceId":"1af7651916cd43dd8448eb211c80319c","spanId":"c7ad6b7169203331","name":"b","startTimeUnixNano":"1","endTimeUnixNano":"5"}
        ]}]}]}"#;
        let set = crate::load(text.as_bytes(), crate::Source::default())
            .expect("the spans load")
            .set;
        let b_trace = set
            .trace_position(TraceId::parse("1af7651916cd43dd8448eb211c80319c").unwrap())
            .unwrap();
        let (position, span) =
            find_selection(&set, None, Some("c7ad6b7169203331")).expect("found without its trace");
        assert_eq!(position, b_trace);
        assert_eq!(set.str(set.span(span.unwrap()).unwrap().name), "b");
        let (position, span) = find_selection(
            &set,
            Some("1af7651916cd43dd8448eb211c80319c"),
            Some("c7ad6b7169203331"),
        )
        .unwrap();
        assert_eq!(
            (position, set.str(set.span(span.unwrap()).unwrap().name)),
            (b_trace, "b")
        );
        assert_eq!(
            find_selection(&set, Some("1af7651916cd43dd8448eb211c80319c"), None),
            Ok((b_trace, None))
        );
        assert_eq!(
            find_selection(&set, Some("0af7651916cd43dd8448eb211c80319c"), Some("c7ad6b7169203331")),
            Err("spanloupe:select: no span c7ad6b7169203331 in trace 0af7651916cd43dd8448eb211c80319c".to_owned())
        );
        assert_eq!(
            find_selection(&set, Some("0af76519"), None),
            Err("spanloupe:select: trace must be a trace id of 32 hex characters, found \"0af76519\"".to_owned())
        );
        assert!(find_selection(&set, None, None).is_err());
    }
}

//! The URL hash that makes a view shareable: `#trace=<id>&span=<id>`, plus
//! `&view=conversation|statistics|flame|agents` for the trace's other views, `&tab=` the inspector's
//! tab, `&q=` the search with `&only=1` for "only matches", and
//! `&zoom=<start>-<end>` the zoomed window (ns since 1970), `&collapsed=`
//! the collapsed spans (`layout::collapsed_link`), `&critical=1` the
//! critical path shown, `&logical=1` the logical view. Once the same
//! data is loaded, the link opens the same trace, view, span, search and
//! zoom. It never holds trace data beyond ids and what the user typed.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

use crate::model::{SpanId, TraceId};

/// What the hash names.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Location {
    pub trace: Option<TraceId>,
    pub span: Option<SpanId>,
    /// The view of the trace.
    pub view: TraceView,
    /// The inspector's tab.
    pub tab: Option<InspectorTab>,
    /// The search, and whether only its matches are shown.
    pub query: String,
    pub only_matches: bool,
    /// The zoomed window (absolute ns).
    pub window: Option<(u64, u64)>,
    /// The collapsed spans, as `layout::collapsed_link` writes them (read
    /// against the trace once it is loaded).
    pub collapsed: Option<String>,
    /// The critical path is highlighted.
    pub critical: bool,
    /// The logical view (infrastructure under GenAI spans hidden) is on.
    pub logical: bool,
    /// The trace compared with this one (B, this one being A).
    pub compare: Option<TraceId>,
}

/// The views of one trace.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TraceView {
    #[default]
    Waterfall,
    Conversation,
    Statistics,
    FlameGraph,
    AgentGraph,
}

impl TraceView {
    pub fn name(self) -> &'static str {
        match self {
            TraceView::Waterfall => "waterfall",
            TraceView::Conversation => "conversation",
            TraceView::Statistics => "statistics",
            TraceView::FlameGraph => "flame",
            TraceView::AgentGraph => "agents",
        }
    }

    /// Unknown names are the waterfall.
    pub fn from_name(name: &str) -> TraceView {
        match name {
            "conversation" => TraceView::Conversation,
            "statistics" => TraceView::Statistics,
            "flame" => TraceView::FlameGraph,
            "agents" => TraceView::AgentGraph,
            _ => TraceView::Waterfall,
        }
    }
}

/// The inspector's tabs, as the hash names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InspectorTab {
    Messages,
    Attributes,
    Events,
    Raw,
}

impl InspectorTab {
    pub const ALL: [InspectorTab; 4] = [
        InspectorTab::Messages,
        InspectorTab::Attributes,
        InspectorTab::Events,
        InspectorTab::Raw,
    ];

    pub fn name(self) -> &'static str {
        match self {
            InspectorTab::Messages => "messages",
            InspectorTab::Attributes => "attributes",
            InspectorTab::Events => "events",
            InspectorTab::Raw => "raw",
        }
    }

    pub fn from_name(name: &str) -> Option<InspectorTab> {
        InspectorTab::ALL.into_iter().find(|tab| tab.name() == name)
    }
}

/// What a search may hold unescaped in the hash.
const QUERY: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

impl Location {
    /// Reads `#trace=…&span=…` (the `#` optional); unknown keys and bad ids
    /// are ignored, so an old or mangled link still opens what it can.
    pub fn parse(hash: &str) -> Self {
        let mut location = Location::default();
        for pair in hash.trim_start_matches('#').split('&') {
            let Some((key, value)) = pair.split_once('=') else {
                continue;
            };
            match key {
                "trace" => {
                    location.trace = TraceId::parse(value);
                }
                "span" => {
                    location.span = SpanId::parse(value);
                }
                "compare" => location.compare = TraceId::parse(value),
                "view" => location.view = TraceView::from_name(value),
                "tab" => location.tab = InspectorTab::from_name(value),
                "q" => {
                    location.query = percent_decode_str(value).decode_utf8_lossy().into_owned();
                }
                "only" => location.only_matches = value == "1",
                "critical" => location.critical = value == "1",
                "logical" => location.logical = value == "1",
                "collapsed" => {
                    location.collapsed = Some(value.to_owned()).filter(|v| {
                        !v.is_empty()
                            && v.chars()
                                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.')
                    });
                }
                "zoom" => {
                    location.window = value.split_once('-').and_then(|(start, end)| {
                        let (start, end) = (start.parse().ok()?, end.parse().ok()?);
                        (start < end).then_some((start, end))
                    });
                }
                _ => {}
            }
        }
        location
    }

    /// The hash for this location, `""` for none.
    pub fn to_hash(&self) -> String {
        let mut parts = Vec::new();
        if let Some(trace) = self.trace {
            parts.push(format!("trace={trace}"));
        }
        if let Some(other) = self.compare {
            parts.push(format!("compare={other}"));
        }
        if self.view != TraceView::Waterfall {
            parts.push(format!("view={}", self.view.name()));
        }
        if let Some(span) = self.span {
            parts.push(format!("span={span}"));
        }
        if let Some(tab) = self.tab {
            parts.push(format!("tab={}", tab.name()));
        }
        if !self.query.is_empty() {
            parts.push(format!("q={}", utf8_percent_encode(&self.query, QUERY)));
            if self.only_matches {
                parts.push("only=1".to_owned());
            }
        }
        if let Some((start, end)) = self.window {
            parts.push(format!("zoom={start}-{end}"));
        }
        if let Some(collapsed) = &self.collapsed {
            parts.push(format!("collapsed={collapsed}"));
        }
        if self.critical {
            parts.push("critical=1".to_owned());
        }
        if self.logical {
            parts.push("logical=1".to_owned());
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("#{}", parts.join("&"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_ignores_what_it_does_not_know() {
        let hash = "#trace=4bf92f3577b34da6a3ce929d0e0e4736&span=a1b2c3d4e5f60005";
        let location = Location::parse(hash);
        assert_eq!(
            location.trace.unwrap().to_string(),
            "4bf92f3577b34da6a3ce929d0e0e4736"
        );
        assert_eq!(location.span.unwrap().to_string(), "a1b2c3d4e5f60005");
        assert_eq!(location.to_hash(), hash);
        let mangled = Location::parse("trace=xyz&theme=dark&span=a1b2c3d4e5f60005");
        assert_eq!(mangled.trace, None);
        assert!(mangled.span.is_some());
        assert_eq!(Location::default().to_hash(), "");
        let conversation = "#trace=4bf92f3577b34da6a3ce929d0e0e4736&view=conversation";
        assert_eq!(Location::parse(conversation).view, TraceView::Conversation);
        assert_eq!(Location::parse(conversation).to_hash(), conversation);
        assert_eq!(
            Location::parse("#view=waterfall").view,
            TraceView::Waterfall
        );
        assert_eq!(Location::parse("#view=nonsense").view, TraceView::Waterfall);
        for view in ["statistics", "flame", "agents"] {
            let hash = format!("#trace=4bf92f3577b34da6a3ce929d0e0e4736&view={view}");
            assert_eq!(Location::parse(&hash).view.name(), view);
            assert_eq!(Location::parse(&hash).to_hash(), hash);
        }
        let critical = "#trace=4bf92f3577b34da6a3ce929d0e0e4736&critical=1";
        assert!(Location::parse(critical).critical);
        assert_eq!(Location::parse(critical).to_hash(), critical);
        let compare =
            "#trace=4bf92f3577b34da6a3ce929d0e0e4736&compare=0af7651916cd43dd8448eb211c80319c";
        assert_eq!(
            Location::parse(compare).compare.map(|id| id.to_string()),
            Some("0af7651916cd43dd8448eb211c80319c".to_owned())
        );
        assert_eq!(Location::parse(compare).to_hash(), compare);
        assert_eq!(Location::parse("#compare=nope").compare, None);
    }

    #[test]
    fn search_zoom_and_tab_round_trip() {
        let location = Location {
            trace: TraceId::parse("4bf92f3577b34da6a3ce929d0e0e4736"),
            span: SpanId::parse("a1b2c3d4e5f60005"),
            view: TraceView::Waterfall,
            tab: Some(InspectorTab::Raw),
            query: "gen_ai & \"flour\" #2".to_owned(),
            only_matches: true,
            window: Some((1_700_000_000_000_000_000, 1_700_000_000_250_000_000)),
            collapsed: Some("a.1f".to_owned()),
            critical: false,
            logical: true,
            compare: None,
        };
        let hash = location.to_hash();
        assert_eq!(
            hash,
            "#trace=4bf92f3577b34da6a3ce929d0e0e4736&span=a1b2c3d4e5f60005&tab=raw\
             &q=gen_ai%20%26%20%22flour%22%20%232&only=1&zoom=1700000000000000000-1700000000250000000\
             &collapsed=a.1f&logical=1"
        );
        assert_eq!(Location::parse(&hash), location);
        // Only matches without a search is nothing to keep; a backwards or
        // broken zoom and an unknown tab are dropped.
        let bare = Location {
            only_matches: true,
            ..Location::default()
        };
        assert_eq!(bare.to_hash(), "");
        let broken = Location::parse("#zoom=9-3&tab=sideways&q=%E2%9C%93&collapsed=%3Cb%3E");
        assert_eq!(broken.window, None);
        assert_eq!(broken.collapsed, None);
        assert_eq!(broken.tab, None);
        assert_eq!(broken.query, "✓");
    }
}

//! The URL hash that makes a view shareable: `#trace=<id>&span=<id>`, plus
//! `&view=conversation` for the conversation view. Once the same data is
//! loaded, the link opens the same trace, view and span.

use crate::model::{SpanId, TraceId};

/// What the hash names.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Location {
    pub trace: Option<TraceId>,
    pub span: Option<SpanId>,
    /// The trace's conversation view instead of its waterfall.
    pub conversation: bool,
}

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
                "view" => location.conversation = value == "conversation",
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
        if self.conversation {
            parts.push("view=conversation".to_owned());
        }
        if let Some(span) = self.span {
            parts.push(format!("span={span}"));
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
        assert!(Location::parse(conversation).conversation);
        assert_eq!(Location::parse(conversation).to_hash(), conversation);
        assert!(!Location::parse("#view=waterfall").conversation);
    }
}

//! Problems in the data that do not stop it from loading. Nothing is dropped
//! silently: every repair the model makes is reported here.

use std::fmt;

/// The kinds of warnings, so a view can group and count them.
#[derive(
    serde::Serialize, serde::Deserialize, Clone, Copy, PartialEq, Eq, Debug, Hash, PartialOrd, Ord,
)]
pub enum WarningKind {
    /// Two or more spans of one trace share a span id.
    DuplicateSpanId,
    /// A span's parent is not in the data; the span is shown as a root.
    MissingParent,
    /// Parent links form a loop; it was cut.
    ParentCycle,
    /// A span ends before it starts.
    EndBeforeStart,
    /// A span or link has no trace id or an unreadable one.
    BadTraceId,
    /// A span or link has no span id or an unreadable one.
    BadSpanId,
    /// Data of a signal the viewer does not show (metrics, profiles) was skipped.
    SkippedSignal,
    /// A warning the data itself carried (Jaeger's `warnings`, its query
    /// API's `errors`).
    FromSource,
    /// Text around the data (a CI log's other output) was skipped.
    SkippedText,
}

/// One warning, with a message a user can read.
#[derive(serde::Serialize, serde::Deserialize, Clone, PartialEq, Eq, Debug)]
pub struct Warning {
    pub kind: WarningKind,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// The warnings of a load. A million broken spans must not make a million
/// messages: the first [`Warnings::KEPT_PER_KIND`] of each kind are kept and
/// the rest only counted.
#[derive(serde::Serialize, serde::Deserialize, Clone, Debug, Default)]
pub struct Warnings {
    kept: Vec<Warning>,
    counts: Vec<(WarningKind, usize)>,
}

impl Warnings {
    pub const KEPT_PER_KIND: usize = 20;

    pub fn push(&mut self, kind: WarningKind, message: impl Into<String>) {
        let count = match self.counts.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, count)) => count,
            None => {
                self.counts.push((kind, 0));
                match self.counts.last_mut() {
                    Some((_, count)) => count,
                    None => return,
                }
            }
        };
        *count += 1;
        if *count <= Self::KEPT_PER_KIND {
            self.kept.push(Warning {
                kind,
                message: message.into(),
            });
        }
    }

    /// Adds the warnings of a part read elsewhere, as if they had been found
    /// here after these: kept while under the cap, counted all the same.
    pub fn merge(&mut self, other: Warnings) {
        for (kind, count) in &other.counts {
            let kept = other.kept.iter().filter(|w| w.kind == *kind).count();
            match self.counts.iter_mut().find(|(k, _)| k == kind) {
                Some((_, mine)) => *mine += count - kept,
                None => self.counts.push((*kind, count - kept)),
            }
        }
        for warning in other.kept {
            self.push(warning.kind, warning.message);
        }
    }

    /// The kept warnings, in the order they were found.
    pub fn iter(&self) -> impl Iterator<Item = &Warning> {
        self.kept.iter()
    }

    /// How many warnings of `kind` there were, kept or not.
    pub fn count(&self, kind: WarningKind) -> usize {
        self.counts
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(0, |(_, count)| *count)
    }

    /// How many warnings there were in all.
    pub fn total(&self) -> usize {
        self.counts.iter().map(|(_, count)| count).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    /// Lines such as "… and 1,234 more warnings of this kind" for the kinds
    /// that had more than were kept.
    pub fn overflow(&self) -> impl Iterator<Item = (WarningKind, usize)> + '_ {
        self.counts
            .iter()
            .filter(|(_, count)| *count > Self::KEPT_PER_KIND)
            .map(|(kind, count)| (*kind, count - Self::KEPT_PER_KIND))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merged_warnings_are_as_if_found_in_one_pass() {
        let (mut one_pass, mut first, mut second) = (
            Warnings::default(),
            Warnings::default(),
            Warnings::default(),
        );
        for i in 0..30 {
            let message = format!("orphan {i}");
            one_pass.push(WarningKind::MissingParent, message.clone());
            if i < 12 {
                first.push(WarningKind::MissingParent, message);
            } else {
                second.push(WarningKind::MissingParent, message);
            }
        }
        second.push(WarningKind::ParentCycle, "cycle");
        one_pass.push(WarningKind::ParentCycle, "cycle");
        first.merge(second);
        assert_eq!(
            first.iter().collect::<Vec<_>>(),
            one_pass.iter().collect::<Vec<_>>()
        );
        assert_eq!(first.count(WarningKind::MissingParent), 30);
        assert_eq!(first.total(), one_pass.total());
        assert_eq!(
            first.overflow().collect::<Vec<_>>(),
            one_pass.overflow().collect::<Vec<_>>()
        );
    }

    #[test]
    fn warnings_past_the_cap_are_counted_not_kept() {
        let mut warnings = Warnings::default();
        for i in 0..25 {
            warnings.push(WarningKind::MissingParent, format!("orphan {i}"));
        }
        warnings.push(WarningKind::ParentCycle, "cycle");
        assert_eq!(warnings.iter().count(), 21);
        assert_eq!(warnings.count(WarningKind::MissingParent), 25);
        assert_eq!(warnings.total(), 26);
        assert_eq!(
            warnings.overflow().collect::<Vec<_>>(),
            vec![(WarningKind::MissingParent, 5)]
        );
    }
}

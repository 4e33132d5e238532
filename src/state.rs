//! The app's state: one `Copy` struct of signals, provided once through
//! context. Signals hold inputs (what is loaded, what the user chose);
//! everything derived is a `Memo` in the component that needs it.

use std::sync::Arc;

use leptos::prelude::*;
use spanloupe_core::TraceSet;
use spanloupe_core::embed::{EmbedOptions, Theme};
use spanloupe_core::genai::TraceGenAi;
use spanloupe_core::layout::SpanSet;
use spanloupe_core::layout::carry_over::carry_over;
use spanloupe_core::layout::collapsed_link;
use spanloupe_core::layout::hash::Location;
use spanloupe_core::layout::rows::{collapse_from_depth, reveal};
use spanloupe_core::model::SpanIdx;
use spanloupe_core::preferences::{Clock, next_theme};

/// One input that went into the loaded data.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceInfo {
    pub name: String,
    pub bytes: usize,
    pub format: String,
    pub spans: usize,
    pub logs: usize,
}

/// An input that failed, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceError {
    pub name: String,
    pub message: String,
}

/// Everything loaded together (several files dropped at once are one set).
#[derive(Debug)]
pub struct Dataset {
    pub set: TraceSet,
    /// The GenAI spans of each trace (in `set.traces` order), found once.
    pub genai: Vec<Arc<TraceGenAi>>,
    pub sources: Vec<SourceInfo>,
    /// Inputs of the same load that failed while others succeeded.
    pub failed: Vec<SourceError>,
}

/// Where loading is.
#[derive(Clone, Debug, PartialEq)]
pub enum LoadStatus {
    Idle,
    /// Reading `name`: `done` of `total` bytes (total unknown: 0).
    Reading {
        name: String,
        done: usize,
        total: usize,
    },
    /// Parsing and indexing.
    Indexing {
        name: String,
    },
    /// Nothing could be loaded.
    Failed {
        errors: Vec<SourceError>,
    },
}

pub use spanloupe_core::layout::hash::TraceView;

#[derive(Clone, Copy)]
pub struct AppState {
    pub data: RwSignal<Option<Arc<Dataset>>>,
    pub load: RwSignal<LoadStatus>,
    /// Index into `data.set.traces`; `None` shows the trace list (or the start screen).
    pub trace: RwSignal<Option<usize>>,
    pub selected: RwSignal<Option<SpanIdx>>,
    /// The spans of the open trace whose children are hidden.
    pub collapsed: RwSignal<SpanSet>,
    pub query: RwSignal<String>,
    /// Show only matches (and their ancestors) instead of highlighting them.
    pub only_matches: RwSignal<bool>,
    /// The zoomed time window (absolute Unix ns), `None` for the whole trace.
    pub window: RwSignal<Option<(u64, u64)>>,
    /// The view of the open trace: waterfall, conversation, statistics or
    /// flame graph.
    pub view: RwSignal<TraceView>,
    /// The trace the open one is compared with (the open one is A, this
    /// one B): the trace page then shows Compare.
    pub compare_with: RwSignal<Option<usize>>,
    /// Highlight the open trace's critical path in the waterfall.
    pub critical: RwSignal<bool>,
    /// The logical view: infrastructure spans under GenAI spans hidden...
    pub logical: RwSignal<bool>,
    /// ...but for those under these GenAI spans (their pill was clicked).
    pub logical_expanded: RwSignal<SpanSet>,
    /// The inspector tab the user chose last (a span without it shows its
    /// first): kept in the link.
    pub inspector_tab: RwSignal<Option<spanloupe_core::layout::hash::InspectorTab>>,
    /// The collector whose traces the page shows live, when it is served by
    /// (or pointed at) one: the list screen is then its live trace list.
    pub live: RwSignal<Option<crate::live::Live>>,
    /// The Jaeger or Tempo the page is connected to: the list screen is
    /// then its search.
    pub connected: RwSignal<Option<crate::connect::Connected>>,
    /// A connection refused for want of credentials (from a link, say):
    /// the Connect form asks for them and then runs its search.
    pub connect_retry: RwSignal<Option<spanloupe_core::connect::ConnectLink>>,
    /// The options of the address the page was opened with (`?embed=1`,
    /// `hide=`, `collapse=`, …), read once.
    pub embed: StoredValue<Arc<EmbedOptions>>,
    /// Light or dark, when the address or the host page chose one; `None`
    /// follows the system.
    pub theme: RwSignal<Option<Theme>>,
    /// The clock timestamps are shown in.
    pub clock: RwSignal<Clock>,
    /// The keyboard shortcuts are shown over the page.
    pub shortcuts: RwSignal<bool>,
    /// The prices the user set for models, over the table's.
    pub prices: RwSignal<spanloupe_core::genai::cost::Overrides>,
    /// The address's `#trace=…&span=…` the page was opened with, until data
    /// holding that trace is shown (`?url=` data arrives after the demo).
    link: StoredValue<Option<Location>>,
    /// Where the waterfall was scrolled before the open trace was read
    /// again: the next waterfall starts there.
    scroll_to_restore: StoredValue<Option<f64>>,
}

impl AppState {
    pub fn new(embed: EmbedOptions) -> Self {
        Self {
            // The address's theme (a host page's choice) over the user's.
            theme: RwSignal::new(embed.theme.or_else(crate::preferences::stored_theme)),
            clock: RwSignal::new(crate::preferences::stored_clock()),
            shortcuts: RwSignal::new(false),
            prices: RwSignal::new(crate::preferences::stored_prices()),
            embed: StoredValue::new(Arc::new(embed)),
            data: RwSignal::new(None),
            load: RwSignal::new(LoadStatus::Idle),
            trace: RwSignal::new(None),
            selected: RwSignal::new(None),
            collapsed: RwSignal::new(SpanSet::default()),
            query: RwSignal::new(String::new()),
            only_matches: RwSignal::new(false),
            window: RwSignal::new(None),
            view: RwSignal::new(TraceView::Waterfall),
            compare_with: RwSignal::new(None),
            critical: RwSignal::new(false),
            logical: RwSignal::new(false),
            logical_expanded: RwSignal::new(SpanSet::default()),
            inspector_tab: RwSignal::new(None),
            live: RwSignal::new(None),
            connected: RwSignal::new(None),
            connect_retry: RwSignal::new(None),
            link: StoredValue::new(None),
            scroll_to_restore: StoredValue::new(None),
        }
    }

    /// Keeps a link to follow once data holding its trace is shown.
    pub fn follow_when_shown(&self, link: Location) {
        self.link.set_value(link.trace.is_some().then_some(link));
    }

    /// Shows a new dataset: the trace and span of the link the page was
    /// opened with when the data holds them, else its only trace, else the
    /// trace list.
    pub fn show(&self, dataset: Dataset) {
        let single = dataset.set.traces.len() == 1;
        let link = self.link.get_value().and_then(|link| {
            let index = dataset.set.trace_position(link.trace?)?;
            let span = link
                .trace
                .zip(link.span)
                .and_then(|(trace, span)| dataset.set.find_span(trace, span));
            let collapsed = link.collapsed.as_deref().and_then(|text| {
                let trace = dataset.set.traces.get(index)?;
                Some(collapsed_link::decode(&dataset.set, trace, text))
            });
            Some((index, span, collapsed, link))
        });
        self.data.set(Some(Arc::new(dataset)));
        self.load.set(LoadStatus::Idle);
        match link {
            Some((index, span, collapsed, link)) => {
                self.link.set_value(None);
                self.open_trace(Some(index));
                if let Some(collapsed) = collapsed {
                    self.collapsed.set(collapsed);
                }
                self.view.set(link.view);
                let other = link.compare.and_then(|id| {
                    self.data
                        .with_untracked(|d| d.as_ref()?.set.trace_position(id))
                });
                self.compare_with.set(other.filter(|&other| other != index));
                self.critical.set(link.critical);
                self.logical.set(link.logical);
                self.inspector_tab.set(link.tab);
                self.query.set(link.query);
                self.only_matches.set(link.only_matches);
                self.window.set(link.window);
                self.select(span);
            }
            None => self.open_trace(if single { Some(0) } else { None }),
        }
    }

    /// Shows a newer version of the open data (a live trace that got spans):
    /// the same trace stays open with the same span selected, the same spans
    /// collapsed, the same zoom, and the waterfall scrolled where it was
    /// (`scroll_top`). Data without the open trace is shown as new.
    pub fn refresh(&self, dataset: Dataset, scroll_top: Option<f64>) {
        let carried = self.data.with_untracked(|data| {
            let old = data.as_ref()?;
            let trace = self.trace.get_untracked()?;
            let selected = self.selected.get_untracked();
            self.collapsed.with_untracked(|collapsed| {
                carry_over(&old.set, trace, selected, collapsed, &dataset.set)
            })
        });
        let Some(carried) = carried else {
            self.show(dataset);
            return;
        };
        self.scroll_to_restore.set_value(scroll_top);
        self.data.set(Some(Arc::new(dataset)));
        self.collapsed.set(carried.collapsed);
        self.trace.set(Some(carried.trace));
        self.selected.set(carried.selected);
    }

    /// The scroll position a refreshed waterfall starts at, once.
    pub fn take_scroll_to_restore(&self) -> Option<f64> {
        let scroll = self.scroll_to_restore.get_value();
        self.scroll_to_restore.set_value(None);
        scroll
    }

    /// Shows the live trace list of a collector (leaving any open data).
    pub fn go_live(&self, live: crate::live::Live) {
        self.live.set(Some(live));
        self.data.set(None);
        self.load.set(LoadStatus::Idle);
        self.open_trace(None);
    }

    /// Shows the search of a backend the page connected to (leaving any
    /// open data).
    pub fn go_connected(&self, connected: crate::connect::Connected) {
        self.connected.set(Some(connected));
        self.live.set(None);
        self.data.set(None);
        self.load.set(LoadStatus::Idle);
        self.open_trace(None);
    }

    /// Selects `span`, or clears the selection: opens its trace when another
    /// is open, and expands its ancestors so its row shows (the waterfall
    /// scrolls it into view). Every way of selecting comes here: a click,
    /// the keyboard, a search step, a link, the address.
    pub fn select(&self, span: Option<SpanIdx>) {
        if let Some(span) = span {
            let trace = self
                .data
                .with_untracked(|data| data.as_ref()?.set.trace_position_of(span));
            if trace.is_some() && trace != self.trace.get_untracked() {
                self.open_trace(trace);
            }
            let expanded = self.data.with_untracked(|data| {
                let set = &data.as_ref()?.set;
                self.collapsed.with_untracked(|collapsed| {
                    let mut collapsed = collapsed.clone();
                    reveal(set, &mut collapsed, span).then_some(collapsed)
                })
            });
            if let Some(expanded) = expanded {
                self.collapsed.set(expanded);
            }
        }
        self.selected.set(span);
    }

    /// Shows the open trace as its waterfall, conversation, statistics or
    /// flame graph.
    pub fn show_view(&self, view: TraceView) {
        self.compare_with.set(None);
        self.view.set(view);
    }

    /// Compares the open trace (A) with the trace at `other` (B) of the same
    /// data, or stops comparing with `None`.
    pub fn compare_with_trace(&self, other: Option<usize>) {
        let open = self.trace.get_untracked();
        self.compare_with
            .set(other.filter(|&other| Some(other) != open));
    }

    /// The next theme (system → light → dark), remembered.
    pub fn cycle_theme(&self) {
        let theme = next_theme(self.theme.get_untracked());
        self.theme.set(theme);
        crate::preferences::store_theme(theme);
    }

    /// Sets (or with `None` forgets) the user's prices for a model, in
    /// dollars per million input and output tokens; remembered.
    pub fn set_price(&self, model: &str, prices: Option<(f64, f64)>) {
        self.prices.update(|overrides| {
            let key = model.trim().to_lowercase();
            match prices {
                Some(prices) => overrides.0.insert(key, prices),
                None => overrides.0.remove(&key),
            };
            crate::preferences::store_prices(overrides);
        });
    }

    /// The GenAI spans of trace `index` of `data`, priced at the user's
    /// prices where set.
    pub fn genai_of(&self, data: &Dataset, index: usize) -> Arc<TraceGenAi> {
        let genai = data.genai.get(index).cloned().unwrap_or_default();
        self.prices.with_untracked(|prices| {
            if prices.0.is_empty() {
                genai
            } else {
                Arc::new(prices.apply(&data.set, &genai))
            }
        })
    }

    /// UTC or local time for timestamps, remembered.
    pub fn toggle_clock(&self) {
        let clock = self.clock.get_untracked().toggled();
        self.clock.set(clock);
        crate::preferences::store_clock(clock);
    }

    /// Opens a trace (or the list with `None`), resetting per-trace state:
    /// all spans expanded, or the levels the address's `collapse=` shows.
    pub fn open_trace(&self, index: Option<usize>) {
        let depth = self.embed.with_value(|embed| embed.collapse_depth);
        let (collapsed, none) = self
            .data
            .with_untracked(|data| {
                let set = &data.as_ref()?.set;
                let trace = set.traces.get(index?)?;
                let none = SpanSet::for_trace(trace);
                let collapsed = match depth {
                    Some(depth) => collapse_from_depth(set, trace, depth),
                    None => none.clone(),
                };
                Some((collapsed, none))
            })
            .unwrap_or_default();
        self.collapsed.set(collapsed);
        self.logical_expanded.set(none);
        self.selected.set(None);
        self.window.set(None);
        self.view.set(TraceView::Waterfall);
        self.compare_with.set(None);
        self.critical.set(false);
        self.logical.set(false);
        self.trace.set(index);
    }
}

/// The state provided by [`crate::App`].
pub fn use_app_state() -> AppState {
    expect_context::<AppState>()
}

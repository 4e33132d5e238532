//! The waterfall's row elements: made once, then reused as it scrolls.
//!
//! Each element is a slot (`layout::Slots`) that shows whichever row the
//! scroll position gives it. When a slot's row changes, its text and
//! attributes are rewritten in place; when only the selection, the search
//! matches or the zoom change, only what depends on them is. Nothing is
//! created or dropped while scrolling, so a jump of a whole screen costs a
//! few DOM writes per row.
//!
//! This is the one view written against the DOM directly instead of with
//! Leptos components. A row of reactive parts costs its subscriptions on
//! every scroll step: with one effect and a memo per part, Leptos marked
//! every slot's parts on each step, which made scrolling slower than
//! building the rows anew. Here one effect draws the rows on screen.
//! Clicks reach the rows through one listener on their container
//! ([`clicked_row`]).

use spanloupe_core::format;
use spanloupe_core::genai::{GenAiKind, GenAiSpan, TraceGenAi};
use spanloupe_core::layout::critical_path::SectionsBySpan;
use spanloupe_core::layout::logical::Logical;
use spanloupe_core::layout::{Row, Rows, Slots, TimeScale};
use spanloupe_core::model::{Problems, SpanIdx, TraceSet};
use wasm_bindgen::JsCast;
use web_sys::{Document, Element};

use crate::view::service_colors::span_color;

pub const ROW_HEIGHT_PX: f64 = 24.0;
const SVG_NS: &str = "http://www.w3.org/2000/svg";

/// Everything the rows on screen depend on.
pub struct Frame<'a> {
    pub set: &'a TraceSet,
    pub genai: &'a TraceGenAi,
    pub rows: &'a Rows,
    pub slots: Slots,
    pub scale: TimeScale,
    pub selected: Option<SpanIdx>,
    /// The search's matches, sorted.
    pub matches: &'a [SpanIdx],
    /// The critical path's sections, while it is shown.
    pub critical: Option<&'a SectionsBySpan>,
    /// The logical view, while it is on.
    pub logical: Option<&'a Logical>,
}

/// The row elements inside the waterfall's rows container.
pub struct RowPool {
    document: Document,
    container: Element,
    slots: Vec<SlotView>,
}

impl RowPool {
    pub fn new(container: Element) -> Option<Self> {
        Some(Self {
            document: container.owner_document()?,
            container,
            slots: Vec::new(),
        })
    }

    /// Brings every slot up to date with `frame`.
    pub fn show(&mut self, frame: &Frame<'_>) {
        while self.slots.len() < frame.slots.count {
            match SlotView::new(&self.document) {
                Some(slot) => {
                    // Appending fails only for a node that cannot be a child.
                    let _appended = self.container.append_child(&slot.root);
                    self.slots.push(slot);
                }
                None => break,
            }
        }
        while self.slots.len() > frame.slots.count {
            if let Some(slot) = self.slots.pop() {
                slot.root.remove();
            }
        }
        for (index, slot) in self.slots.iter_mut().enumerate() {
            let content = frame.slots.position(index).and_then(|position| {
                frame
                    .rows
                    .get(frame.set, position)
                    .map(|row| (position, row))
            });
            slot.show(&self.document, frame, content);
        }
    }
}

/// What a click in a row asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowClick {
    Select(SpanIdx),
    /// The expand/collapse toggle.
    Toggle(SpanIdx),
    /// The logical view's "N infrastructure spans hidden" pill.
    ShowHidden(SpanIdx),
}

/// What a click anywhere in a row asks for.
pub fn clicked_row(event: &web_sys::Event) -> Option<RowClick> {
    let target = event.target()?.dyn_into::<Element>().ok()?;
    let row = target.closest("[role=row]").ok().flatten()?;
    let span = row.get_attribute("data-span")?.parse().ok().map(SpanIdx)?;
    let on = |selector: &str| target.closest(selector).ok().flatten().is_some();
    Some(if on(".sl-row__toggle") {
        RowClick::Toggle(span)
    } else if on(".sl-row__hidden") {
        RowClick::ShowHidden(span)
    } else {
        RowClick::Select(span)
    })
}

/// What a row shows, read from the model when a slot receives the row.
struct RowFacts {
    name: String,
    service: String,
    color: &'static str,
    duration: String,
    error: bool,
    orphan: bool,
    badge: Option<Badge>,
    events: Vec<(u64, String)>,
}

/// The GenAI icon, and for model calls the model and tokens.
struct Badge {
    kind: GenAiKind,
    /// The text and the tooltip of the model and tokens chip.
    chip: Option<(String, &'static str)>,
}

impl RowFacts {
    fn of(set: &TraceSet, genai: &TraceGenAi, span_idx: SpanIdx) -> Option<Self> {
        let span = set.span(span_idx)?;
        Some(Self {
            name: set.str(span.name).to_owned(),
            service: set.service_name(span_idx).to_owned(),
            color: span_color(set, span_idx),
            duration: format::duration(span.duration_nanos()),
            error: span.is_error(),
            orphan: span.problems.contains(Problems::MISSING_PARENT),
            badge: genai.get(span_idx).map(|g| badge(set, g)),
            events: set
                .events(span.events)
                .iter()
                .map(|e| (e.time_unix_nanos, set.str(e.name).to_owned()))
                .collect(),
        })
    }
}

fn badge(set: &TraceSet, span: &GenAiSpan) -> Badge {
    let kind = span.kind;
    let tokens = span.usage.total_or_sum().map(|total| {
        #[allow(clippy::cast_possible_truncation)] // token counts fit in usize
        let text = format::count(total as usize, "tok", "tok");
        text
    });
    let chip = (kind.is_model_call() && (span.model.is_some() || tokens.is_some())).then(|| {
        // Tokens first: a narrow row cuts the model name, not the count.
        let model = span.model.map(|id| set.str(id).to_owned());
        // The poorer of two records of one call names the other.
        let same_call = span
            .twin
            .filter(|_| span.duplicate)
            .and_then(|twin| set.span(twin))
            .map(|twin| format!("same call as {}", set.str(twin.name)));
        let text = [same_call, tokens, model]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" · ");
        let title = if span.twin.is_some() {
            "One call recorded by two instrumentations: counted and shown once"
        } else if span.counted {
            "Model and tokens of this call"
        } else {
            "Includes the tokens of the calls inside it"
        };
        (text, title)
    });
    Badge { kind, chip }
}

/// An element that is in its row only for some spans (the toggle, the
/// GenAI icon, the error mark...): made once, put in and taken out.
struct Optional {
    element: Element,
    attached: bool,
}

impl Optional {
    fn new(element: Element) -> Self {
        Self {
            element,
            attached: false,
        }
    }

    /// Puts the element in `parent` before `before`, or takes it out.
    fn place(&mut self, parent: &Element, wanted: bool, before: &Element) {
        if wanted && !self.attached {
            // Fails only if `before` is not a child of `parent`, which it is.
            let _inserted = parent.insert_before(&self.element, Some(before));
        } else if !wanted && self.attached {
            self.element.remove();
        }
        self.attached = wanted;
    }

    /// The element when attached, to insert others before it.
    fn attached(&self) -> Option<&Element> {
        self.attached.then_some(&self.element)
    }
}

/// What a slot shows now, to write only what changes.
#[derive(Default)]
struct Shown {
    content: Option<(usize, Row)>,
    times: (u64, u64),
    event_times: Vec<u64>,
    scale: Option<TimeScale>,
    selected: bool,
    matched: bool,
    /// The row's sections of the critical path (times).
    critical: Vec<(u64, u64)>,
    /// How many spans the logical view hides under the row.
    hidden: usize,
}

/// One row element and its parts.
struct SlotView {
    root: Element,
    name_cell: Element,
    toggle: Optional,
    swatch: Element,
    icon: Optional,
    icon_path: Element,
    label: Element,
    chip: Optional,
    error: Optional,
    orphan: Optional,
    service: Element,
    timeline: Element,
    bar: Element,
    duration: Element,
    marks: Vec<Optional>,
    /// The critical path's sections on the bar, made as needed.
    critical: Vec<Element>,
    /// The logical view's pill.
    hidden: Optional,
    shown: Shown,
}

fn element(document: &Document, tag: &str, class: &str) -> Option<Element> {
    let element = document.create_element(tag).ok()?;
    element.set_class_name(class);
    Some(element)
}

fn set_attr(element: &Element, name: &str, value: &str) {
    // Fails only for an invalid attribute name; every name here is valid.
    let _set = element.set_attribute(name, value);
}

/// Sets an element's inline style through the CSSOM (`style.cssText`):
/// the page's Content-Security-Policy refuses style attributes, which a
/// trace could otherwise use to restyle the page.
fn set_style(element: &Element, css: &str) {
    if let Some(element) = element.dyn_ref::<web_sys::HtmlElement>() {
        element.style().set_css_text(css);
    }
}

fn set_class(element: &Element, class: &str, on: bool) {
    // Fails only for an empty or spaced class name; these are neither.
    let _set = element.class_list().toggle_with_force(class, on);
}

impl SlotView {
    fn new(document: &Document) -> Option<Self> {
        let root = element(document, "div", "sl-row")?;
        set_attr(&root, "role", "row");
        let name_cell = element(document, "div", "sl-row__name")?;
        set_attr(&name_cell, "role", "gridcell");
        let indent = element(document, "span", "sl-row__indent")?;
        let swatch = element(document, "span", "sl-row__swatch")?;
        let label = element(document, "span", "sl-row__label")?;
        let service = element(document, "span", "sl-row__service")?;
        for part in [&indent, &swatch, &label, &service] {
            name_cell.append_child(part).ok()?;
        }
        let toggle = element(document, "button", "sl-row__toggle")?;
        set_attr(&toggle, "tabindex", "-1");
        let (icon, icon_path) = genai_icon(document)?;
        let chip = element(document, "span", "sl-row__genai")?;
        let error = element(document, "span", "sl-row__error")?;
        set_attr(&error, "title", "Error status");
        error.set_text_content(Some("!"));
        let hidden = element(document, "button", "sl-row__hidden")?;
        set_attr(&hidden, "tabindex", "-1");
        set_attr(&hidden, "title", "Show the spans under this one in place");
        let orphan = element(document, "span", "sl-row__orphan")?;
        set_attr(&orphan, "title", "Its parent span is not in the data");
        orphan.set_text_content(Some("orphan"));

        let timeline = element(document, "div", "sl-row__timeline")?;
        set_attr(&timeline, "role", "gridcell");
        let bar = element(document, "div", "sl-row__bar")?;
        let duration = element(document, "span", "sl-row__duration")?;
        timeline.append_child(&bar).ok()?;
        timeline.append_child(&duration).ok()?;
        root.append_child(&name_cell).ok()?;
        root.append_child(&timeline).ok()?;
        Some(Self {
            root,
            name_cell,
            toggle: Optional::new(toggle),
            swatch,
            icon: Optional::new(icon),
            icon_path,
            label,
            chip: Optional::new(chip),
            error: Optional::new(error),
            orphan: Optional::new(orphan),
            service,
            timeline,
            bar,
            duration,
            marks: Vec::new(),
            critical: Vec::new(),
            hidden: Optional::new(hidden),
            shown: Shown::default(),
        })
    }

    fn show(&mut self, document: &Document, frame: &Frame<'_>, content: Option<(usize, Row)>) {
        let new_row = content != self.shown.content;
        if new_row {
            self.shown.content = content;
            match content
                .and_then(|(_, row)| Some((row, RowFacts::of(frame.set, frame.genai, row.span)?)))
            {
                Some((row, facts)) => self.write_row(document, frame, content, row, &facts),
                None => {
                    // Only while the rows and the slots disagree for a moment.
                    set_style(&self.root, "display: none");
                    return;
                }
            }
        }
        let Some((_, row)) = self.shown.content else {
            return;
        };
        let selected = frame.selected == Some(row.span);
        if new_row || selected != self.shown.selected {
            self.shown.selected = selected;
            set_class(&self.root, "sl-row--selected", selected);
            set_attr(
                &self.root,
                "aria-selected",
                if selected { "true" } else { "false" },
            );
        }
        let matched = frame.matches.binary_search(&row.span).is_ok();
        if new_row || matched != self.shown.matched {
            self.shown.matched = matched;
            set_class(&self.root, "sl-row--match", matched);
        }
        let critical: Vec<(u64, u64)> = frame
            .critical
            .map(|path| path.of(row.span).collect())
            .unwrap_or_default();
        let critical_changed = critical != self.shown.critical;
        if new_row || critical_changed {
            set_class(&self.root, "sl-row--critical", !critical.is_empty());
            self.shown.critical = critical;
        }
        let hidden = frame.logical.map_or(0, |l| l.hidden_under(row.span));
        if new_row || hidden != self.shown.hidden {
            self.shown.hidden = hidden;
            self.hidden
                .place(&self.name_cell, hidden > 0, &self.service);
            if hidden > 0 {
                let text = format!(
                    "{} hidden",
                    format::count(hidden, "infrastructure span", "infrastructure spans")
                );
                self.hidden.element.set_text_content(Some(&text));
            }
        }
        let scale_changed = self.shown.scale != Some(frame.scale);
        if new_row || scale_changed {
            self.shown.scale = Some(frame.scale);
            self.write_times(frame.scale);
        }
        if new_row || scale_changed || critical_changed {
            self.write_critical(document, frame.scale);
        }
    }

    /// The critical path's sections on the bar, at the zoom's scale.
    fn write_critical(&mut self, document: &Document, scale: TimeScale) {
        while self.critical.len() < self.shown.critical.len() {
            let Some(section) = element(document, "div", "sl-row__critical") else {
                return;
            };
            if self.timeline.append_child(&section).is_err() {
                return;
            }
            self.critical.push(section);
        }
        for (i, section) in self.critical.iter().enumerate() {
            let style = match self.shown.critical.get(i) {
                Some(&(start, end)) => {
                    let left = scale.x_px(start).clamp(0.0, 100.0);
                    let right = scale.x_px(end).clamp(0.0, 100.0);
                    format!("left: {left:.4}%; width: {:.4}%", right - left)
                }
                None => "display: none".to_owned(),
            };
            set_style(section, &style);
        }
    }

    /// The text and attributes of a row the slot has just received.
    fn write_row(
        &mut self,
        document: &Document,
        frame: &Frame<'_>,
        content: Option<(usize, Row)>,
        row: Row,
        facts: &RowFacts,
    ) {
        let position = content.map_or(0, |(position, _)| position);
        let root = &self.root;
        #[allow(clippy::cast_precision_loss)] // row positions are far below 2^52
        let top = position as f64 * ROW_HEIGHT_PX;
        set_style(
            root,
            &format!(
                "top: {top}px; --depth: {}; --service-color: {}",
                row.depth, facts.color
            ),
        );
        set_attr(root, "data-span", &row.span.0.to_string());
        set_attr(root, "aria-rowindex", &(position + 1).to_string());
        set_attr(root, "aria-level", &(row.depth + 1).to_string());
        if row.has_children {
            set_attr(
                root,
                "aria-expanded",
                if row.collapsed { "false" } else { "true" },
            );
        } else {
            // Fails only for an invalid name.
            let _removed = root.remove_attribute("aria-expanded");
        }
        set_class(root, "sl-row--error", facts.error);

        let cell = &self.name_cell;
        self.toggle.place(cell, row.has_children, &self.swatch);
        if row.has_children {
            let toggle = &self.toggle.element;
            set_attr(
                toggle,
                "aria-label",
                if row.collapsed { "Expand" } else { "Collapse" },
            );
            toggle.set_text_content(Some(if row.collapsed { "▸" } else { "▾" }));
        }
        self.icon.place(cell, facts.badge.is_some(), &self.label);
        if let Some(badge) = &facts.badge {
            let icon = &self.icon.element;
            set_attr(icon, "data-kind", kind_name(badge.kind));
            set_attr(icon, "title", badge.kind.label());
            set_attr(icon, "aria-label", badge.kind.label());
            set_attr(&self.icon_path, "d", kind_icon_path(badge.kind));
        }
        set_attr(&self.label, "title", &facts.name);
        self.label.set_text_content(Some(&facts.name));
        // After the label, in this order: chip, error mark, orphan mark.
        self.orphan.place(cell, facts.orphan, &self.service);
        let before_orphan = self.orphan.attached().unwrap_or(&self.service).clone();
        self.error.place(cell, facts.error, &before_orphan);
        let before_error = self.error.attached().cloned().unwrap_or(before_orphan);
        let chip = facts.badge.as_ref().and_then(|b| b.chip.as_ref());
        self.chip.place(cell, chip.is_some(), &before_error);
        if let Some((text, title)) = chip {
            set_attr(&self.chip.element, "title", title);
            self.chip.element.set_text_content(Some(text));
        }
        self.service.set_text_content(Some(&facts.service));

        // Event marks, between the bar and the duration.
        while self.marks.len() < facts.events.len() {
            match element(document, "span", "sl-event") {
                Some(mark) => self.marks.push(Optional::new(mark)),
                None => break,
            }
        }
        for (i, mark) in self.marks.iter_mut().enumerate() {
            let event = facts.events.get(i);
            mark.place(&self.timeline, event.is_some(), &self.duration);
            if let Some((_, name)) = event {
                mark.element.set_class_name(if name == "exception" {
                    "sl-event sl-event--exception"
                } else {
                    "sl-event"
                });
                set_attr(&mark.element, "title", name);
            }
        }
        self.duration.set_text_content(Some(&facts.duration));
        if let Some(span) = frame.set.span(row.span) {
            self.shown.times = (span.start_unix_nanos, span.end_unix_nanos);
        }
        self.shown.event_times = facts.events.iter().map(|(time, _)| *time).collect();
    }

    /// The bar, the duration label and the event marks at the zoom's scale.
    /// Bars and labels are clipped to the window: when zoomed, a span may
    /// start before it or end after it.
    fn write_times(&self, scale: TimeScale) {
        let (start, end) = self.shown.times;
        let outside = scale.x_px(end) < 0.0 || scale.x_px(start) > 100.0;
        set_class(&self.timeline, "sl-row__timeline--outside", outside);
        let left = scale.x_px(start).clamp(0.0, 100.0);
        let right = scale.x_px(end).clamp(0.0, 100.0);
        set_style(
            &self.bar,
            &format!("left: {left:.4}%; width: {:.4}%", right - left),
        );
        // Right of the bar when there is room, else left of it, else inside.
        let label = if right <= 82.0 {
            format!("left: {right:.4}%")
        } else if left >= 18.0 {
            format!("right: {:.4}%", 100.0 - left)
        } else {
            format!("right: {:.4}%; color: #fff", 100.0 - right)
        };
        set_style(&self.duration, &label);
        for (mark, time) in self.marks.iter().zip(&self.shown.event_times) {
            let x = scale.x_px(*time);
            let style = if (0.0..=100.0).contains(&x) {
                format!("left: {x:.4}%")
            } else {
                "display: none".to_owned()
            };
            set_style(&mark.element, &style);
        }
    }
}

/// The GenAI icon's element and the path its kind sets.
fn genai_icon(document: &Document) -> Option<(Element, Element)> {
    let icon = element(document, "span", "sl-genai-icon")?;
    let svg = document.create_element_ns(Some(SVG_NS), "svg").ok()?;
    for (name, value) in [
        ("viewBox", "0 0 16 16"),
        ("width", "14"),
        ("height", "14"),
        ("aria-hidden", "true"),
    ] {
        set_attr(&svg, name, value);
    }
    let path = document.create_element_ns(Some(SVG_NS), "path").ok()?;
    for (name, value) in [
        ("fill", "none"),
        ("stroke", "currentColor"),
        ("stroke-width", "1.5"),
        ("stroke-linejoin", "round"),
        ("stroke-linecap", "round"),
    ] {
        set_attr(&path, name, value);
    }
    svg.append_child(&path).ok()?;
    icon.append_child(&svg).ok()?;
    Some((icon, path))
}

fn kind_name(kind: GenAiKind) -> &'static str {
    match kind {
        GenAiKind::Inference => "inference",
        GenAiKind::Embeddings => "embeddings",
        GenAiKind::Tool => "tool",
        GenAiKind::Agent => "agent",
        GenAiKind::Other => "other",
    }
}

/// Small line icons, drawn inline so they need no font or file.
fn kind_icon_path(kind: GenAiKind) -> &'static str {
    match kind {
        // A speech bubble.
        GenAiKind::Inference => "M2 3h12v8H7l-3 3v-3H2z",
        // Stacked vectors.
        GenAiKind::Embeddings => "M3 4h10M3 8h10M3 12h10M5 2v12M11 2v12",
        // A wrench.
        GenAiKind::Tool => {
            "M10 2a4 4 0 0 0-3.6 5.6L2 12l2 2 4.4-4.4A4 4 0 0 0 14 6l-2.5 2.5-2-2L12 4a4 4 0 0 0-2-2z"
        }
        // A robot head.
        GenAiKind::Agent => "M3 5h10v8H3zM8 2v3M6 9h.01M10 9h.01",
        // A spark.
        GenAiKind::Other => "M8 2v4M8 10v4M2 8h4M10 8h4",
    }
}

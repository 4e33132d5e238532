//! Which row each of the waterfall's DOM rows shows.
//!
//! The waterfall keeps a fixed number of row elements, the slots, and moves
//! rows through them as it scrolls instead of making and dropping elements:
//! the row at `position` is always in slot `position % count`. Scrolling by
//! k rows gives new rows to k slots and leaves the others as they are, and a
//! jump of a screen rewrites the slots' text and styles without creating a
//! single element. Screen readers follow `aria-rowindex`, which each slot
//! carries, not the order of the elements.

/// A run of consecutive rows, `start..start + count`, spread over `count`
/// slots.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Slots {
    pub start: usize,
    pub count: usize,
}

impl Slots {
    /// The slots for `total` rows when `first` is the first row on screen,
    /// `on_screen` rows fit and `overscan` more are kept beyond each edge.
    /// The run is always `on_screen + 2 * overscan` rows long (or all the
    /// rows, when there are fewer), shifted away from the ends of the list,
    /// so no slot is ever empty and their number only changes with the
    /// height of the view or a list shorter than it.
    #[must_use]
    pub fn new(total: usize, first: usize, on_screen: usize, overscan: usize) -> Self {
        let count = on_screen
            .saturating_add(overscan.saturating_mul(2))
            .min(total);
        let start = first.saturating_sub(overscan).min(total - count);
        Self { start, count }
    }

    /// The row position that `slot` shows.
    #[must_use]
    pub fn position(&self, slot: usize) -> Option<usize> {
        if slot >= self.count {
            return None;
        }
        let offset = (slot + self.count - self.start % self.count) % self.count;
        Some(self.start + offset)
    }

    /// The slot that shows the row at `position`, if it is in the run.
    #[must_use]
    pub fn slot(&self, position: usize) -> Option<usize> {
        (self.start..self.start + self.count)
            .contains(&position)
            .then(|| position % self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn positions(slots: Slots) -> Vec<usize> {
        (0..slots.count)
            .map(|s| slots.position(s).unwrap())
            .collect()
    }

    #[test]
    fn every_row_of_the_run_is_in_exactly_one_slot() {
        for first in [0, 1, 7, 40, 99, 500, 995, 1000] {
            let slots = Slots::new(1000, first, 30, 12);
            let mut shown = positions(slots);
            shown.sort_unstable();
            assert_eq!(
                shown,
                (slots.start..slots.start + 54).collect::<Vec<_>>(),
                "first {first}"
            );
            for position in slots.start..slots.start + slots.count {
                assert_eq!(
                    slots.position(slots.slot(position).unwrap()),
                    Some(position)
                );
            }
        }
    }

    #[test]
    fn the_run_covers_the_screen_and_stays_inside_the_list() {
        for first in 0..=1000 {
            let slots = Slots::new(1000, first, 30, 12);
            assert_eq!(slots.count, 54);
            assert!(slots.start + slots.count <= 1000);
            let last_on_screen = (first + 30).min(1000);
            assert!(
                slots.start <= first && last_on_screen <= slots.start + slots.count,
                "first {first}"
            );
        }
    }

    #[test]
    fn scrolling_by_k_rows_changes_k_slots() {
        let before = Slots::new(10_000, 500, 40, 12);
        for k in [1, 5, 20] {
            let after = Slots::new(10_000, 500 + k, 40, 12);
            let changed = (0..before.count)
                .filter(|&s| before.position(s) != after.position(s))
                .count();
            assert_eq!(changed, k);
        }
    }

    #[test]
    fn a_short_list_has_a_slot_per_row_in_order() {
        let slots = Slots::new(9, 0, 30, 12);
        assert_eq!(positions(slots), (0..9).collect::<Vec<_>>());
        // Scrolled as far as it goes, nothing moves.
        assert_eq!(Slots::new(9, 5, 30, 12), slots);
    }

    #[test]
    fn an_empty_list_has_no_slots() {
        let slots = Slots::new(0, 3, 30, 12);
        assert_eq!(slots.count, 0);
        assert_eq!(slots.position(0), None);
        assert_eq!(slots.slot(0), None);
    }
}

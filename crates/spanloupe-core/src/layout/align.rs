//! Two lists lined up element by element: the longest common subsequence,
//! so that one element added in B shows as added, not as everything after
//! it changed. Used for the children of two compared spans and for the
//! lines of two model calls' messages.

use std::collections::HashMap;
use std::hash::Hash;

/// One step of an alignment, by position in A and in B.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Both(usize, usize),
    OnlyA(usize),
    OnlyB(usize),
}

/// The most cells (A's length × B's, once the common start and end are set
/// aside) aligned exactly: 16 MB of table. Longer lists that differ in
/// their middle are aligned greedily, in order.
const MAX_CELLS: usize = 4_000_000;

/// Every element of `a` and `b` once, in order: equal ones paired as a
/// longest common subsequence pairs them; at a difference, A's elements
/// come before B's.
pub fn align<T: Eq + Hash>(a: &[T], b: &[T]) -> Vec<Step> {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (rest_a, rest_b) = (&a[prefix..], &b[prefix..]);
    let suffix = rest_a
        .iter()
        .rev()
        .zip(rest_b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let middle_a = &rest_a[..rest_a.len() - suffix];
    let middle_b = &rest_b[..rest_b.len() - suffix];
    let mut steps: Vec<Step> = (0..prefix).map(|i| Step::Both(i, i)).collect();
    let middle = if middle_a.len().saturating_mul(middle_b.len()) <= MAX_CELLS {
        exact(middle_a, middle_b)
    } else {
        greedy(middle_a, middle_b)
    };
    steps.extend(middle.into_iter().map(|step| match step {
        Step::Both(i, j) => Step::Both(prefix + i, prefix + j),
        Step::OnlyA(i) => Step::OnlyA(prefix + i),
        Step::OnlyB(j) => Step::OnlyB(prefix + j),
    }));
    let (end_a, end_b) = (prefix + middle_a.len(), prefix + middle_b.len());
    steps.extend((0..suffix).map(|k| Step::Both(end_a + k, end_b + k)));
    steps
}

/// The longest common subsequence by dynamic programming: `lengths[i][j]`
/// is that of `a[i..]` and `b[j..]`, walked from the start.
fn exact<T: Eq>(a: &[T], b: &[T]) -> Vec<Step> {
    let width = b.len() + 1;
    let mut lengths = vec![0u32; (a.len() + 1) * width];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lengths[i * width + j] = if a[i] == b[j] {
                lengths[(i + 1) * width + j + 1] + 1
            } else {
                lengths[(i + 1) * width + j].max(lengths[i * width + j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut steps = Vec::with_capacity(a.len() + b.len());
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            steps.push(Step::Both(i, j));
            i += 1;
            j += 1;
        } else if lengths[(i + 1) * width + j] >= lengths[i * width + j + 1] {
            steps.push(Step::OnlyA(i));
            i += 1;
        } else {
            steps.push(Step::OnlyB(j));
            j += 1;
        }
    }
    steps.extend((i..a.len()).map(Step::OnlyA));
    steps.extend((j..b.len()).map(Step::OnlyB));
    steps
}

/// Each element of A paired with the first equal one of B after the last
/// pair: linear, and exact when the lists differ by additions alone.
fn greedy<T: Eq + Hash>(a: &[T], b: &[T]) -> Vec<Step> {
    let mut positions: HashMap<&T, Vec<usize>> = HashMap::new();
    for (j, item) in b.iter().enumerate() {
        positions.entry(item).or_default().push(j);
    }
    let mut steps = Vec::with_capacity(a.len() + b.len());
    let mut next_b = 0;
    for (i, item) in a.iter().enumerate() {
        let found = positions.get(item).and_then(|list| {
            let at = list.partition_point(|&j| j < next_b);
            list.get(at).copied()
        });
        match found {
            Some(j) => {
                steps.extend((next_b..j).map(Step::OnlyB));
                steps.push(Step::Both(i, j));
                next_b = j + 1;
            }
            None => steps.push(Step::OnlyA(i)),
        }
    }
    steps.extend((next_b..b.len()).map(Step::OnlyB));
    steps
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(a: &str, b: &str) -> String {
        let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        align(&a, &b)
            .iter()
            .map(|step| match *step {
                Step::Both(i, _) => a[i].to_string(),
                Step::OnlyA(i) => format!("-{}", a[i]),
                Step::OnlyB(j) => format!("+{}", b[j]),
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn an_added_element_is_added_not_a_shift() {
        assert_eq!(show("abcd", "abxcd"), "a b +x c d");
        assert_eq!(show("abcd", "acd"), "a -b c d");
        // A retry: the call repeated.
        assert_eq!(show("pct", "pcct"), "p c +c t");
        assert_eq!(show("", "ab"), "+a +b");
        assert_eq!(show("ab", ""), "-a -b");
        assert_eq!(show("abc", "abc"), "a b c");
    }

    #[test]
    fn a_changed_element_is_removed_then_added() {
        assert_eq!(show("axc", "ayc"), "a -x +y c");
        // The longest common subsequence, not the first match.
        assert_eq!(show("xabc", "abcx"), "-x a b c +x");
    }

    #[test]
    fn long_lists_are_aligned_in_order() {
        let a: Vec<u32> = (0..3000).collect();
        let mut b = a.clone();
        b.insert(1500, 9999);
        b[10] = 7777;
        // 3000 × 3001 cells: past the exact limit once the ends are set aside.
        let mut a_wide = a.clone();
        a_wide.insert(0, 4444);
        a_wide.push(5555);
        let steps = align(&a_wide, &b);
        let both = steps.iter().filter(|s| matches!(s, Step::Both(..))).count();
        assert_eq!(both, 2999);
        assert!(steps.contains(&Step::OnlyB(1500)));
        assert!(steps.contains(&Step::OnlyB(10)) && steps.contains(&Step::OnlyA(11)));
        // Every element once, in order on each side.
        let from_a: Vec<usize> = steps
            .iter()
            .filter_map(|s| match *s {
                Step::Both(i, _) | Step::OnlyA(i) => Some(i),
                Step::OnlyB(_) => None,
            })
            .collect();
        assert_eq!(from_a, (0..a_wide.len()).collect::<Vec<_>>());
    }
}

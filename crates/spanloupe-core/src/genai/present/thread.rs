//! The steps of a trace's conversation thread (the Conversation view): its
//! model calls and tool runs in time order, found as far as they are shown.
//!
//! Whether a model call is a step depends on its conversation: a wrapper
//! that repeats the calls inside it (Vercel's `ai.generateText`) is not one,
//! and telling needs the call read (`llm_call`, its messages parsed). A
//! 100k-span trace has ten thousand calls: reading them all before showing
//! the first hundred froze the page noticeably. So the
//! thread reads candidates until it has the steps asked for, and counts the
//! rest in slices the page runs between frames.

use super::history::repeated_prefix;
use crate::genai::model::LlmCall;
use crate::genai::normalize::llm_call;
use crate::genai::span_kind::GenAiKind;
use crate::genai::trace_summary::TraceGenAi;
use crate::model::{SpanIdx, TraceSet};

/// A step of the thread, as found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Call(SpanIdx),
    Tool(SpanIdx),
}

impl Step {
    pub fn span(self) -> SpanIdx {
        match self {
            Step::Call(span) | Step::Tool(span) => span,
        }
    }
}

/// A step ready to show: a call with its conversation read, and how many of
/// its input messages repeat the call step before it.
#[derive(Debug)]
pub enum ShownStep {
    Call {
        span: SpanIdx,
        call: Box<LlmCall>,
        repeated: usize,
    },
    Tool {
        span: SpanIdx,
    },
}

pub struct Thread {
    /// Model calls and tool runs in time order: the steps, and wrappers.
    candidates: Vec<Step>,
    /// How many candidates have been looked at.
    looked_at: usize,
    steps: Vec<Step>,
}

impl Thread {
    pub fn new(set: &TraceSet, genai: &TraceGenAi) -> Self {
        // A call recorded twice is shown once, as its richer record.
        let candidates = genai
            .in_time_order(set)
            .into_iter()
            .filter(|s| !s.duplicate)
            .map(|s| match s.kind {
                GenAiKind::Tool => Step::Tool(s.span),
                _ => Step::Call(s.span),
            })
            .collect();
        Thread {
            candidates,
            looked_at: 0,
            steps: Vec::new(),
        }
    }

    /// Looks at candidates until `wanted` steps are known, none is left, or
    /// `go_on` (asked before each) says to stop.
    pub fn find(&mut self, set: &TraceSet, wanted: usize, mut go_on: impl FnMut() -> bool) {
        while self.steps.len() < wanted && go_on() {
            if self.look_at_next(set).is_none() {
                return;
            }
        }
    }

    /// Looks at the next candidate: `None` when none is left, else the call
    /// read if it was a model call that is a step.
    fn look_at_next(&mut self, set: &TraceSet) -> Option<Option<LlmCall>> {
        let candidate = *self.candidates.get(self.looked_at)?;
        self.looked_at += 1;
        let call = match candidate {
            Step::Tool(_) => None,
            Step::Call(span) => match llm_call(set, span).filter(|call| !call.aggregate) {
                Some(call) => Some(call),
                // Not a call after all, or a wrapper that repeats the calls
                // inside it (those are the steps).
                None => return Some(None),
            },
        };
        self.steps.push(candidate);
        Some(call)
    }

    /// The steps found so far.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// Whether every candidate has been looked at: `steps` are all of them.
    pub fn is_complete(&self) -> bool {
        self.looked_at == self.candidates.len()
    }

    /// Model calls and tool runs not looked at yet: at most this many more
    /// steps.
    pub fn left_to_look_at(&self) -> usize {
        self.candidates.len() - self.looked_at
    }

    /// Up to `count` steps from `first`, found if need be, each call read
    /// (once: a call read to find it as a step is the one shown).
    pub fn shown(&mut self, set: &TraceSet, first: usize, count: usize) -> Vec<ShownStep> {
        let end = first.saturating_add(count);
        let mut read_here: Vec<(usize, LlmCall)> = Vec::new();
        while self.steps.len() < end {
            let index = self.steps.len();
            match self.look_at_next(set) {
                None => break,
                Some(Some(call)) if index >= first => read_here.push((index, call)),
                Some(_) => {}
            }
        }
        let mut read_here = read_here.into_iter().peekable();
        // The call step before the first shown, for what the first repeats.
        let before_first: Option<LlmCall> = self.steps[..first.min(self.steps.len())]
            .iter()
            .rev()
            .find_map(|step| match step {
                Step::Call(span) => llm_call(set, *span),
                Step::Tool(_) => None,
            });
        let mut shown: Vec<ShownStep> = Vec::new();
        for (index, step) in self.steps.iter().enumerate().skip(first).take(count) {
            match *step {
                Step::Tool(span) => shown.push(ShownStep::Tool { span }),
                Step::Call(span) => {
                    let call = match read_here.next_if(|(at, _)| *at == index) {
                        Some((_, call)) => call,
                        // Found as a call before, it reads as one again.
                        None => match llm_call(set, span) {
                            Some(call) => call,
                            None => continue,
                        },
                    };
                    let previous = shown
                        .iter()
                        .rev()
                        .find_map(|s| match s {
                            ShownStep::Call { call, .. } => Some(call.as_ref()),
                            ShownStep::Tool { .. } => None,
                        })
                        .or(before_first.as_ref());
                    let repeated = previous.map_or(0, |before| repeated_prefix(before, &call));
                    shown.push(ShownStep::Call {
                        span,
                        call: Box::new(call),
                        repeated,
                    });
                }
            }
        }
        shown
    }
}

//! User feedback and evaluations of an LLM call:
//!
//! * `gen_ai.evaluation.result` (OTel ≥ 1.38): `gen_ai.evaluation.name`,
//!   `gen_ai.evaluation.score.value`, `.score.label`, `.explanation`;
//! * `gen_ai.evaluation.user_feedback` (Azure AI Foundry): score in
//!   `gen_ai.evaluation.score`, body `{comment}` (some samples put the score
//!   in the body as `{score}`).
//!
//! Both come as log records or span events. A record belongs to a call when
//! it points at the call's span, or, since feedback often arrives later and
//! outside the span's context, when its `gen_ai.response.id` is the call's.

use serde_json::{Map, Value as Json};

use crate::genai::shared::payload::json_of;
use crate::model::{Attribute, SpanIdx, TraceSet, Value};

const USER_FEEDBACK: &str = "gen_ai.evaluation.user_feedback";
const EVALUATION: &str = "gen_ai.evaluation.result";

/// One piece of feedback or one evaluation result.
#[derive(Clone, Debug, PartialEq)]
pub struct Feedback {
    /// `user_feedback`, or the evaluation's name (`Relevance`, …).
    pub name: String,
    pub score: Option<f64>,
    /// `pass`, `fail`, `relevant`, …
    pub label: Option<String>,
    /// The user's words.
    pub comment: Option<String>,
    /// The evaluator's reasoning.
    pub explanation: Option<String>,
}

/// The feedback on a span's call: log records (by span, else by response
/// id) then the span's own events. One scan of the logs per call.
pub fn feedback_of(set: &TraceSet, idx: SpanIdx, response_id: Option<&str>) -> Vec<Feedback> {
    let Some(span) = set.span(idx) else {
        return Vec::new();
    };
    let event_name_key = set.strings.lookup("event.name");
    let mut out = Vec::new();
    for log in &set.logs {
        let name = match set.str(log.event_name) {
            "" => event_name_key
                .and_then(|key| set.attributes(log.attributes).iter().find(|a| a.key == key))
                .and_then(|a| set.value_str(a.value))
                .unwrap_or(""),
            name => name,
        };
        if name != USER_FEEDBACK && name != EVALUATION {
            continue;
        }
        let attributes = decode(set, set.attributes(log.attributes));
        let same_span = log.span == Some(idx)
            || (!log.span_id.is_zero()
                && log.span_id == span.span_id
                && log.trace_id == span.trace_id);
        let same_response = response_id.is_some_and(|id| {
            attributes.get("gen_ai.response.id").and_then(Json::as_str) == Some(id)
        });
        if !same_span && !same_response {
            continue;
        }
        let body = match log.body {
            Value::Empty => Json::Null,
            body => json_of(set, body),
        };
        out.push(read(name, &attributes, &body));
    }
    for event in set.events(span.events) {
        let name = set.str(event.name);
        if name == USER_FEEDBACK || name == EVALUATION {
            let attributes = decode(set, set.attributes(event.attributes));
            out.push(read(name, &attributes, &Json::Null));
        }
    }
    out
}

fn decode(set: &TraceSet, attributes: &[Attribute]) -> Map<String, Json> {
    attributes
        .iter()
        .map(|a| (set.str(a.key).to_owned(), json_of(set, a.value)))
        .collect()
}

fn read(name: &str, attributes: &Map<String, Json>, body: &Json) -> Feedback {
    let text = |value: Option<&Json>| match value? {
        Json::String(text) => Some(text.clone()),
        Json::Null => None,
        other => Some(other.to_string()),
    };
    // The body is `{comment}` / `{score}`; a span event has no body, so
    // its attributes stand in.
    let field = |key: &str| {
        body.get(key)
            .or_else(|| attributes.get(key))
            .or_else(|| attributes.get(&format!("gen_ai.evaluation.{key}")))
    };
    if name == USER_FEEDBACK {
        Feedback {
            name: "user_feedback".to_owned(),
            score: number(attributes.get("gen_ai.evaluation.score"))
                .or_else(|| number(field("score"))),
            label: text(attributes.get("gen_ai.evaluation.score.label")),
            comment: text(field("comment")).or_else(|| match body {
                Json::String(text) => Some(text.clone()),
                _ => None,
            }),
            explanation: text(attributes.get("gen_ai.evaluation.explanation")),
        }
    } else {
        Feedback {
            name: text(attributes.get("gen_ai.evaluation.name"))
                .unwrap_or_else(|| "evaluation".to_owned()),
            score: number(attributes.get("gen_ai.evaluation.score.value")),
            label: text(attributes.get("gen_ai.evaluation.score.label")),
            comment: text(field("comment")),
            explanation: text(attributes.get("gen_ai.evaluation.explanation")),
        }
    }
}

/// A score sent as a double, an integer or text.
fn number(value: Option<&Json>) -> Option<f64> {
    match value? {
        Json::Number(n) => n.as_f64(),
        Json::String(text) => text.trim().parse().ok(),
        _ => None,
    }
}

//! Flattened, indexed attribute keys (`gen_ai.prompt.0.role`,
//! `llm.output_messages.0.message.tool_calls.1.tool_call.id`) rebuilt into a
//! JSON tree: numeric segments become array positions. Indexes may be sparse
//! and the attributes in any order.

use std::collections::BTreeMap;

use serde_json::Value as Json;

use super::payload::json_of;
use crate::model::{Attribute, TraceSet};

/// A node while rebuilding: children by segment.
#[derive(Default)]
struct Node {
    value: Option<Json>,
    children: BTreeMap<Segment, Node>,
}

/// Numbers sort numerically, before names.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Segment {
    Index(u64),
    Name(String),
}

/// The attributes under `prefix` (which ends with a dot) as a JSON tree, or
/// `None` when there are none.
pub fn unflatten(set: &TraceSet, attributes: &[Attribute], prefix: &str) -> Option<Json> {
    let mut root = Node::default();
    let mut found = false;
    for attribute in attributes {
        let Some(rest) = set.str(attribute.key).strip_prefix(prefix) else {
            continue;
        };
        found = true;
        let mut node = &mut root;
        for segment in rest.split('.') {
            let segment = match segment.parse::<u64>() {
                Ok(index) => Segment::Index(index),
                Err(_) => Segment::Name(segment.to_owned()),
            };
            node = node.children.entry(segment).or_default();
        }
        // Text values stay text here: a `content` that looks like JSON is
        // decided on by the convention reading it.
        node.value = Some(match attribute.value {
            crate::model::Value::Str(id) => Json::String(set.str(id).to_owned()),
            other => json_of(set, other),
        });
    }
    found.then(|| to_json(root))
}

fn to_json(node: Node) -> Json {
    if node.children.is_empty() {
        return node.value.unwrap_or(Json::Null);
    }
    let all_indexes = node
        .children
        .keys()
        .all(|segment| matches!(segment, Segment::Index(_)));
    if all_indexes {
        // Sparse indexes keep their order; gaps are not filled.
        Json::Array(node.children.into_values().map(to_json).collect())
    } else {
        Json::Object(
            node.children
                .into_iter()
                .map(|(segment, child)| {
                    let key = match segment {
                        Segment::Index(index) => index.to_string(),
                        Segment::Name(name) => name,
                    };
                    (key, to_json(child))
                })
                .collect(),
        )
    }
}

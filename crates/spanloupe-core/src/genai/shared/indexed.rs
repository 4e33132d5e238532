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

/// How many segments of a key become levels of the tree; the rest of a
/// deeper key stays one name. The conventions nest 7 levels at most
/// (`llm.output_messages.0.message.tool_calls.1.tool_call.function.name`);
/// every level is a level of recursion here, and a key of 100,000 dots
/// would overflow the stack.
pub const MAX_KEY_DEPTH: usize = 32;

/// A tree of attributes, and how many keys were deeper than
/// [`MAX_KEY_DEPTH`].
#[derive(Debug)]
pub struct Unflattened {
    pub tree: Json,
    pub too_deep: usize,
}

/// The attributes under `prefix` (which ends with a dot) as a JSON tree, or
/// `None` when there are none.
pub fn unflatten(set: &TraceSet, attributes: &[Attribute], prefix: &str) -> Option<Unflattened> {
    let mut root = Node::default();
    let mut found = false;
    let mut too_deep = 0;
    for attribute in attributes {
        let Some(rest) = set.str(attribute.key).strip_prefix(prefix) else {
            continue;
        };
        found = true;
        let mut node = &mut root;
        let mut segments = rest.splitn(MAX_KEY_DEPTH, '.');
        if rest.split('.').nth(MAX_KEY_DEPTH).is_some() {
            too_deep += 1;
        }
        for segment in segments.by_ref() {
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
    found.then(|| Unflattened {
        tree: to_json(root),
        too_deep,
    })
}

/// What a call says of keys cut at [`MAX_KEY_DEPTH`].
pub fn too_deep_warning(keys: usize) -> String {
    let keys = if keys == 1 {
        "1 attribute key nests".to_owned()
    } else {
        format!("{keys} attribute keys nest")
    };
    format!(
        "{keys} deeper than {MAX_KEY_DEPTH} levels: past that, the rest of the key is read as one name"
    )
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A set of one span with these string attributes, and the attributes.
    fn set_with_keys(keys: &[(&str, &str)]) -> (TraceSet, Vec<Attribute>) {
        let attributes: Vec<_> = keys
            .iter()
            .map(|(key, value)| serde_json::json!({"key": key, "value": {"stringValue": value}}))
            .collect();
        let json = serde_json::json!({"resourceSpans": [{"scopeSpans": [{"spans": [{
            "traceId": "0af7651916cd43dd8448eb211c80319c", "spanId": "b7ad6b7169203331",
            "name": "chat", "startTimeUnixNano": "1", "endTimeUnixNano": "2",
            "attributes": attributes,
        }]}]}]});
        let set = crate::load(json.to_string().as_bytes(), crate::Source::default())
            .unwrap()
            .set;
        let attributes = set.attributes(set.spans[0].attributes).to_vec();
        (set, attributes)
    }

    #[test]
    fn indexes_become_lists_and_names_objects() {
        let (set, attributes) = set_with_keys(&[
            ("gen_ai.prompt.1.content", "second"),
            ("gen_ai.prompt.0.role", "user"),
            ("gen_ai.prompt.0.content", "first"),
        ]);
        let tree = unflatten(&set, &attributes, "gen_ai.prompt.").unwrap();
        assert_eq!(
            tree.tree,
            serde_json::json!([{"content": "first", "role": "user"}, {"content": "second"}])
        );
        assert_eq!(tree.too_deep, 0);
    }

    #[test]
    fn a_key_of_100000_levels_is_cut_at_the_depth_limit() {
        let deep = format!("gen_ai.prompt.0{}", ".a".repeat(100_000));
        let (set, attributes) = set_with_keys(&[(&deep, "deep"), ("gen_ai.prompt.1.role", "user")]);
        let tree = unflatten(&set, &attributes, "gen_ai.prompt.").unwrap();
        assert_eq!(tree.too_deep, 1);
        let mut node = &tree.tree[0];
        for _ in 1..MAX_KEY_DEPTH - 1 {
            node = &node["a"];
        }
        let rest = format!("a{}", ".a".repeat(100_000 - MAX_KEY_DEPTH + 1));
        assert_eq!(node[rest.as_str()], "deep");
        assert_eq!(tree.tree[1]["role"], "user");
    }
}

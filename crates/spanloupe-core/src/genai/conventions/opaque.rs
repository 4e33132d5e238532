//! The last resort for spans that are LLM calls but carry no message
//! convention: the raw input and output payloads some frameworks record
//! (the last step of `normalize`'s order). Each payload is tried as a provider
//! request / message list / response; otherwise it is kept whole, as text
//! or raw JSON, so the user still sees what was sent.

use serde_json::Value as Json;

use crate::genai::shared::attributes::Attributes;
use crate::genai::shared::conversation::Conversation;
use crate::genai::shared::openai_format::{self, input_payload, output_payload};

/// Input and output keys by producer, in order of preference.
const PAYLOADS: [(&str, &str); 4] = [
    ("mlflow.spanInputs", "mlflow.spanOutputs"),
    ("langfuse.observation.input", "langfuse.observation.output"),
    ("traceloop.entity.input", "traceloop.entity.output"),
    // OpenInference, any span kind.
    ("input.value", "output.value"),
];

/// The conversation of the first producer's payloads the span has.
pub fn conversation(attributes: &Attributes) -> Option<Conversation> {
    let (input_key, output_key) = PAYLOADS
        .iter()
        .find(|(input, output)| attributes.has(input) || attributes.has(output))?;
    let mut conversation = payload(attributes, input_key, "input.mime_type")
        .map(|input| input_payload(&input))
        .unwrap_or_default();
    if let Some(output) = payload(attributes, output_key, "output.mime_type") {
        let answer = output_payload(&output);
        conversation.take_answer(answer);
    }
    // MLflow and Langfuse keep usage and model beside the payloads.
    if let Some(usage) = attributes
        .json("mlflow.chat.tokenUsage")
        .or_else(|| attributes.json("langfuse.observation.usage_details"))
    {
        conversation.usage = openai_format::usage(&usage);
    }
    conversation.request_model = conversation.request_model.or_else(|| {
        attributes
            .text("mlflow.llm.model")
            .or_else(|| attributes.text("langfuse.observation.model.name"))
    });
    Some(conversation)
}

/// A payload as JSON, unless its MIME type says it is text (OpenInference's
/// `text/plain` values that merely look like JSON stay text).
fn payload(attributes: &Attributes, key: &str, mime_key: &str) -> Option<Json> {
    let is_text = key.ends_with(".value")
        && attributes
            .text(mime_key)
            .is_some_and(|mime| mime.starts_with("text/"));
    if is_text {
        attributes.string(key).map(Json::String)
    } else {
        attributes.json(key)
    }
}

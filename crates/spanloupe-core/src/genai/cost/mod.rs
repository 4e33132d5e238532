//! What each model call cost, in dollars: the cost the instrumentation
//! recorded on the span when it did (OpenInference's `llm.cost.total`,
//! `gen_ai.usage.cost`, Langfuse's cost details), else an estimate from
//! the call's tokens and pydantic's genai-prices table
//! (`assets/genai-prices`), for the model and provider the span names, at
//! the prices of the day the call was made. A model the table does not
//! know is "unpriced", never free.

pub mod table;

use std::sync::OnceLock;

pub use table::{PriceTable, Rate, Rates};

use super::shared::attributes::Attributes;
use super::trace_summary::TraceGenAi;
use crate::model::{SpanIdx, TraceSet, Value};

/// The day the bundled table was taken from genai-prices.
pub const TABLE_DATE: &str = "2026-08-21";

/// The bundled table, read on first use (a quarter of a megabyte of JSON:
/// only the ingest worker, and only for traces with model calls).
pub fn bundled() -> Option<&'static PriceTable> {
    static TABLE: OnceLock<Option<PriceTable>> = OnceLock::new();
    TABLE
        .get_or_init(|| {
            PriceTable::parse(include_bytes!(
                "../../../../../assets/genai-prices/data_slim.json"
            ))
            .ok()
        })
        .as_ref()
}

/// A model call's cost.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Cost {
    /// As the instrumentation recorded it.
    Recorded { usd: f64 },
    /// From the call's tokens and the table's prices for this model.
    Estimated {
        usd: f64,
        /// The table's provider and model the call was priced as.
        provider: String,
        model: String,
    },
    /// From the call's tokens and the prices the user set for its model.
    Yours { usd: f64 },
    /// Tokens, but a model the table does not price.
    Unpriced,
}

impl Cost {
    /// "$0.0075 · estimated as openai gpt-4o (prices of 2026-08-21)".
    pub fn label(&self) -> String {
        match self {
            Cost::Recorded { usd } => format!(
                "{} · recorded by the instrumentation",
                crate::format::usd(*usd)
            ),
            Cost::Estimated {
                usd,
                provider,
                model,
            } => format!(
                "{} · estimated as {provider} {model} (genai-prices of {TABLE_DATE})",
                crate::format::usd(*usd)
            ),
            Cost::Yours { usd } => format!(
                "{} · at your prices for this model",
                crate::format::usd(*usd)
            ),
            Cost::Unpriced => "unpriced: the price table does not know this model".to_owned(),
        }
    }

    /// The dollars, when known.
    pub fn usd(&self) -> Option<f64> {
        match self {
            Cost::Recorded { usd } | Cost::Estimated { usd, .. } | Cost::Yours { usd } => {
                Some(*usd)
            }
            Cost::Unpriced => None,
        }
    }
}

/// Where conventions record a call's cost in dollars.
const RECORDED_COST_KEYS: [&str; 3] = ["gen_ai.usage.cost", "llm.cost.total", "gen_ai.cost.total"];

/// The cost an instrumentation recorded on the span.
pub fn recorded(set: &TraceSet, idx: SpanIdx) -> Option<f64> {
    let attributes = Attributes::of_span(set, idx)?;
    let number = |value: Value| match value {
        Value::Double(usd) => Some(usd),
        #[allow(clippy::cast_precision_loss)] // whole dollars
        Value::Int(usd) => Some(usd as f64),
        Value::Str(id) => set.str(id).trim().parse().ok(),
        _ => None,
    };
    RECORDED_COST_KEYS
        .iter()
        .find_map(|key| attributes.get(key).and_then(number))
        .or_else(|| {
            // Langfuse: `{"input": …, "output": …, "total": …}` as JSON text.
            let details = attributes.json("langfuse.observation.cost_details")?;
            let details = match details {
                serde_json::Value::String(text) => serde_json::from_str(&text).ok()?,
                other => other,
            };
            details.get("total")?.as_f64()
        })
        .filter(|usd| usd.is_finite() && *usd >= 0.0)
}

/// Prices the counted model calls of every trace (wrappers and second
/// records of a call repeat its tokens, so they get no cost of their own).
pub fn price_each(set: &TraceSet, traces: &mut [TraceGenAi], table: Option<&PriceTable>) {
    for genai in traces {
        genai.price(|span| {
            cost_of(
                set,
                span.span,
                span.model.map(|m| set.str(m)),
                &span.usage,
                table,
            )
        });
    }
}

/// The cost of one call: recorded, estimated, or unpriced; `None` for a
/// call without token counts or cost.
pub fn cost_of(
    set: &TraceSet,
    idx: SpanIdx,
    model: Option<&str>,
    usage: &super::model::Usage,
    table: Option<&PriceTable>,
) -> Option<Cost> {
    if let Some(usd) = recorded(set, idx) {
        return Some(Cost::Recorded { usd });
    }
    if usage.input.is_none() && usage.output.is_none() {
        return None;
    }
    let provider = provider_of(set, idx);
    let start_seconds = set
        .span(idx)
        .map_or(0, |span| span.start_unix_nanos / 1_000_000_000);
    let priced = model
        .zip(table)
        .and_then(|(model, table)| table.find(provider.as_deref(), model, start_seconds));
    Some(match priced {
        Some(priced) => match priced.rates.cost(usage) {
            Some(usd) => Cost::Estimated {
                usd,
                provider: priced.provider.to_owned(),
                model: priced.model.to_owned(),
            },
            None => Cost::Unpriced,
        },
        None => Cost::Unpriced,
    })
}

/// Prices the user set for models (dollars per million input and output
/// tokens), by model name as the spans write it: they replace the table's
/// estimate, never a cost the instrumentation recorded.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Overrides(pub std::collections::BTreeMap<String, (f64, f64)>);

impl Overrides {
    /// As kept in storage: `{"gpt-4o": [2.5, 10]}`; anything else reads
    /// as none.
    pub fn from_json(text: &str) -> Overrides {
        let read: std::collections::BTreeMap<String, (f64, f64)> =
            serde_json::from_str(text).unwrap_or_default();
        Overrides(
            read.into_iter()
                .filter(|(_, (input, output))| {
                    input.is_finite() && output.is_finite() && *input >= 0.0 && *output >= 0.0
                })
                .map(|(model, prices)| (model.trim().to_lowercase(), prices))
                .collect(),
        )
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(&self.0).unwrap_or_default()
    }

    /// The prices set for `model`, if any.
    pub fn get(&self, model: &str) -> Option<(f64, f64)> {
        self.0.get(&model.trim().to_lowercase()).copied()
    }

    /// `genai` with its calls of overridden models priced at the user's
    /// prices.
    pub fn apply(&self, set: &TraceSet, genai: &TraceGenAi) -> TraceGenAi {
        let mut priced = genai.clone();
        if self.0.is_empty() {
            return priced;
        }
        priced.price(|span| {
            let current = span.cost.clone();
            if matches!(current, Some(Cost::Recorded { .. })) {
                return current;
            }
            let prices = span.model.and_then(|model| self.get(set.str(model)));
            match prices {
                Some((input, output)) => {
                    let rates = Rates {
                        input: Rate::flat(input),
                        output: Rate::flat(output),
                        ..Rates::default()
                    };
                    rates
                        .cost(&span.usage)
                        .map(|usd| Cost::Yours { usd })
                        .or(current)
                }
                None => current,
            }
        });
        priced
    }
}

/// The span's provider, as the conventions name it.
fn provider_of(set: &TraceSet, idx: SpanIdx) -> Option<String> {
    let attributes = Attributes::of_span(set, idx)?;
    [
        "gen_ai.provider.name",
        "gen_ai.system",
        "llm.provider",
        "llm.system",
        "ai.model.provider",
    ]
    .iter()
    .find_map(|key| attributes.string(key))
}

#[cfg(test)]
mod tests;

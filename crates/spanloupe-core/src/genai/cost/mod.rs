//! What each model call cost, in dollars: the cost the instrumentation
//! recorded on the span when it did (OpenInference's `llm.cost.total`,
//! `gen_ai.usage.cost`, Langfuse's cost details), else an estimate from
//! the call's tokens and pydantic's genai-prices table
//! (`assets/genai-prices`), for the model and provider the span names, at
//! the prices of the day the call was made. A model the table does not
//! know is "unpriced", never free.

pub mod table;

use std::collections::HashMap;
use std::sync::OnceLock;

pub use table::{Found, PriceTable, Priced, Rate, Rates};

use super::trace_summary::TraceGenAi;
use crate::model::{SpanIdx, StrId, TraceSet, Value};

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
        /// The table's provider and model it was priced as
        /// (`TraceGenAi::priced_as`).
        priced_as: u32,
    },
    /// From the call's tokens and the prices the user set for its model.
    Yours { usd: f64 },
    /// Tokens, but a model the table does not price.
    Unpriced,
}

impl Cost {
    /// "$0.0075 · estimated as openai gpt-4o (genai-prices of 2026-08-21)",
    /// with the provider and model an estimate was priced as.
    pub fn label(&self, priced_as: Option<(&str, &str)>) -> String {
        match self {
            Cost::Recorded { usd } => format!(
                "{} · recorded by the instrumentation",
                crate::format::usd(*usd)
            ),
            Cost::Estimated { usd, .. } => {
                let (provider, model) = priced_as.unwrap_or(("", "its model"));
                format!(
                    "{} · estimated as {provider} {model} (genai-prices of {TABLE_DATE})",
                    crate::format::usd(*usd)
                )
                .replace("as  ", "as ")
            }
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

/// Where a Langfuse SDK records a call's cost: `{"total": …}` as JSON.
const LANGFUSE_COST_KEY: &str = "langfuse.observation.cost_details";

/// Where conventions name a call's provider, in the order they are trusted.
const PROVIDER_KEYS: [&str; 5] = [
    "gen_ai.provider.name",
    "gen_ai.system",
    "llm.provider",
    "llm.system",
    "ai.model.provider",
];

/// The keys read for every call, as the set's string ids (found once:
/// keys the data never names are skipped).
struct Keys {
    cost: Vec<StrId>,
    langfuse: Option<StrId>,
    provider: Vec<StrId>,
}

impl Keys {
    fn of(set: &TraceSet) -> Keys {
        let ids = |keys: &[&str]| {
            keys.iter()
                .filter_map(|key| set.strings.lookup(key))
                .collect()
        };
        Keys {
            cost: ids(&RECORDED_COST_KEYS),
            langfuse: set.strings.lookup(LANGFUSE_COST_KEY),
            provider: ids(&PROVIDER_KEYS),
        }
    }

    /// The value of the first of `keys` the span has.
    fn first(set: &TraceSet, idx: SpanIdx, keys: &[StrId]) -> Option<Value> {
        let attributes = set.attributes(set.span(idx)?.attributes);
        keys.iter()
            .find_map(|key| attributes.iter().find(|a| a.key == *key).map(|a| a.value))
    }

    /// The cost an instrumentation recorded on the span.
    fn recorded(&self, set: &TraceSet, idx: SpanIdx) -> Option<f64> {
        let number = |value: Value| match value {
            Value::Double(usd) => Some(usd),
            #[allow(clippy::cast_precision_loss)] // whole dollars
            Value::Int(usd) => Some(usd as f64),
            Value::Str(id) => set.str(id).trim().parse().ok(),
            _ => None,
        };
        Keys::first(set, idx, &self.cost)
            .and_then(number)
            .or_else(|| {
                let details = Keys::first(set, idx, &[self.langfuse?])?;
                let details: serde_json::Value = match details {
                    Value::Str(id) => serde_json::from_str(set.str(id)).ok()?,
                    other => crate::export::otlp_json::any_value_json(set, other),
                };
                details.get("total")?.as_f64()
            })
            .filter(|usd| usd.is_finite() && *usd >= 0.0)
    }

    /// The span's provider name, as one of the set's strings.
    fn provider(&self, set: &TraceSet, idx: SpanIdx) -> Option<StrId> {
        match Keys::first(set, idx, &self.provider)? {
            Value::Str(id) => Some(id),
            _ => None,
        }
    }
}

/// The cost an instrumentation recorded on the span.
pub fn recorded(set: &TraceSet, idx: SpanIdx) -> Option<f64> {
    Keys::of(set).recorded(set, idx)
}

/// Prices the counted model calls of every trace (wrappers and second
/// records of a call repeat its tokens, so they get no cost of their own).
/// Each provider and model is looked up in the table once: a large trace
/// has a hundred thousand calls of a few models.
pub fn price_each(set: &TraceSet, traces: &mut [TraceGenAi], table: Option<&PriceTable>) {
    let keys = Keys::of(set);
    let mut found: HashMap<(Option<StrId>, StrId), Option<Found>> = HashMap::new();
    for genai in traces {
        // The table's models this trace's estimates name, by position.
        let mut models: Vec<(String, String)> = Vec::new();
        genai.price(|span| {
            let idx = span.span;
            if let Some(usd) = keys.recorded(set, idx) {
                return Some(Cost::Recorded { usd });
            }
            if span.usage.input.is_none() && span.usage.output.is_none() {
                return None;
            }
            let Some(model) = span.model else {
                return Some(Cost::Unpriced);
            };
            let provider = keys.provider(set, idx);
            let entry = *found
                .entry((provider, model))
                .or_insert_with_key(|(provider, model)| {
                    table?.find_model(provider.map(|p| set.str(p)), set.str(*model))
                });
            let start_seconds = set
                .span(idx)
                .map_or(0, |s| s.start_unix_nanos / 1_000_000_000);
            Some(estimate(
                entry.and_then(|found| found.at(start_seconds)),
                &span.usage,
                &mut models,
            ))
        });
        genai.set_priced_as(models);
    }
}

/// A call's cost from the table's prices for its model, or unpriced; the
/// model it was priced as joins `models` once.
fn estimate(
    priced: Option<Priced>,
    usage: &super::model::Usage,
    models: &mut Vec<(String, String)>,
) -> Cost {
    let Some(priced) = priced else {
        return Cost::Unpriced;
    };
    let Some(usd) = priced.rates.cost(usage) else {
        return Cost::Unpriced;
    };
    let at = models
        .iter()
        .position(|(provider, model)| provider == priced.provider && model == priced.model)
        .unwrap_or_else(|| {
            models.push((priced.provider.to_owned(), priced.model.to_owned()));
            models.len() - 1
        });
    Cost::Estimated {
        usd,
        priced_as: u32::try_from(at).unwrap_or(u32::MAX),
    }
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

#[cfg(test)]
mod tests;

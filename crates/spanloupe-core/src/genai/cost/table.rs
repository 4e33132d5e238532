//! pydantic's genai-prices table (its slim JSON feed): providers, each with
//! rules that match provider names and model names, and each model's prices
//! per million tokens, tiered by the request's input tokens and dated. The
//! lookup follows the project's own clients (first match in file order,
//! names compared in lower case, a provider's fallback providers searched
//! after its own models); unlike them, an unknown provider name falls back
//! to the provider whose model names match, so that a span from
//! `azure.ai.inference` naming `gpt-4o` is priced as OpenAI's.

use std::collections::HashMap;

use serde::Deserialize;

use crate::genai::model::Usage;

/// The table, read.
pub struct PriceTable {
    providers: Vec<Provider>,
}

struct Provider {
    id: String,
    provider_match: Option<Rule>,
    model_match: Option<Rule>,
    fallbacks: Vec<String>,
    models: Vec<Model>,
}

struct Model {
    id: String,
    rule: Rule,
    prices: Vec<Dated>,
}

/// Prices from a moment on (or at times of day).
struct Dated {
    when: When,
    rates: Rates,
}

enum When {
    Always,
    /// From this UTC day on (seconds since 1970).
    From(u64),
    /// Between these seconds of the UTC day (wrapping past midnight).
    TimeOfDay(u32, u32),
}

/// A model's prices in dollars per million tokens (and per request).
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Rates {
    pub input: Rate,
    pub output: Rate,
    /// Cached input read: `None` bills it as input.
    pub cache_read: Option<Rate>,
    /// Cached input written: `None` bills it as input.
    pub cache_write: Option<Rate>,
    /// Dollars per request.
    pub per_request: f64,
}

/// A price per million tokens, which may step up once a request's input
/// tokens pass a threshold (then for all its tokens: Gemini's long-context
/// prices).
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Rate {
    pub base: f64,
    /// (more input tokens than this, price), ascending.
    pub tiers: Vec<(u64, f64)>,
}

impl Rate {
    pub fn flat(price: f64) -> Rate {
        Rate {
            base: price,
            tiers: Vec::new(),
        }
    }

    /// The price per million tokens for a request of `input_tokens`.
    pub fn at(&self, input_tokens: u64) -> f64 {
        self.tiers
            .iter()
            .rev()
            .find(|(start, _)| input_tokens > *start)
            .map_or(self.base, |(_, price)| *price)
    }
}

impl Rates {
    /// What a call with this usage cost, in dollars; `None` without token
    /// counts. Input tokens include the cached ones (as OpenTelemetry's
    /// conventions count them): those read or written from the cache are
    /// billed at their own prices where the model has them.
    pub fn cost(&self, usage: &Usage) -> Option<f64> {
        if usage.input.is_none() && usage.output.is_none() {
            return None;
        }
        let input = usage.input.unwrap_or(0);
        let cache_read = self
            .cache_read
            .as_ref()
            .map_or(0, |_| usage.cache_read.unwrap_or(0));
        let cache_write = self
            .cache_write
            .as_ref()
            .map_or(0, |_| usage.cache_write.unwrap_or(0));
        let uncached = input.saturating_sub(cache_read).saturating_sub(cache_write);
        let tokens = |count: u64, rate: &Rate| {
            #[allow(clippy::cast_precision_loss)] // token counts are far below 2^52
            let count = count as f64;
            count * rate.at(input) / 1_000_000.0
        };
        let mut total =
            tokens(uncached, &self.input) + tokens(usage.output.unwrap_or(0), &self.output);
        if let Some(rate) = &self.cache_read {
            total += tokens(cache_read, rate);
        }
        if let Some(rate) = &self.cache_write {
            total += tokens(cache_write, rate);
        }
        Some(total + self.per_request)
    }
}

/// A model of the table, before the day of the call is known.
#[derive(Clone, Copy)]
pub struct Found<'t> {
    provider: &'t Provider,
    model: &'t Model,
}

impl<'t> Found<'t> {
    /// Its prices at `unix_seconds`.
    pub fn at(&self, unix_seconds: u64) -> Option<Priced<'t>> {
        Some(Priced {
            provider: &self.provider.id,
            model: &self.model.id,
            rates: self.model.rates_at(unix_seconds)?,
        })
    }
}

/// A model the table prices.
#[derive(Clone, Debug, PartialEq)]
pub struct Priced<'t> {
    pub provider: &'t str,
    pub model: &'t str,
    pub rates: &'t Rates,
}

impl PriceTable {
    pub fn parse(json: &[u8]) -> Result<PriceTable, String> {
        let providers: Vec<ProviderJson> = serde_json::from_slice(json)
            .map_err(|err| format!("the price table is not readable: {err}"))?;
        let providers = providers
            .into_iter()
            .map(ProviderJson::read)
            .collect::<Result<_, _>>()?;
        Ok(PriceTable { providers })
    }

    /// The prices of `model` as `provider` (a span's provider name, any
    /// convention's) charged them at `unix_seconds`.
    pub fn find(
        &self,
        provider: Option<&str>,
        model: &str,
        unix_seconds: u64,
    ) -> Option<Priced<'_>> {
        self.find_model(provider, model)?.at(unix_seconds)
    }

    /// The table's model for `model` as `provider` names it, whatever the
    /// day: what a trace's many calls of one model share.
    pub fn find_model(&self, provider: Option<&str>, model: &str) -> Option<Found<'_>> {
        let model = model.trim().to_lowercase();
        if model.is_empty() {
            return None;
        }
        let named = provider.and_then(|name| self.provider_named(name));
        let found = match named {
            Some(provider) => self.model_of(provider, &model),
            None => None,
        };
        // An unknown provider, or a model its own list lacks (a gateway
        // passing the name through): the provider whose names it matches.
        let found = found.or_else(|| {
            let provider = self.providers.iter().find(|p| {
                p.model_match
                    .as_ref()
                    .is_some_and(|rule| rule.matches(&model))
            })?;
            self.model_of(provider, &model)
        });
        match found {
            Some((provider, model)) => Some(Found { provider, model }),
            // `openai/gpt-4o`, as routers name models: the name after it.
            None => {
                let (_, bare) = model.rsplit_once('/')?;
                self.find_model(provider, bare)
            }
        }
    }

    /// A provider by its id, else by its rule for provider names.
    fn provider_named(&self, name: &str) -> Option<&Provider> {
        let name = name.trim().to_lowercase();
        let name = match name.as_str() {
            // OpenTelemetry's names for the same providers.
            "azure.ai.openai" | "az.ai.openai" | "azure_openai" => "azure",
            "gcp.vertex_ai" | "gcp.gemini" | "gcp.gen_ai" | "vertex_ai" | "vertexai" => "google",
            "aws.bedrock" => "aws",
            "x_ai" => "x-ai",
            "mistral_ai" | "mistralai" => "mistral",
            other => other,
        };
        self.providers.iter().find(|p| p.id == name).or_else(|| {
            self.providers.iter().find(|p| {
                p.provider_match
                    .as_ref()
                    .is_some_and(|rule| rule.matches(name))
            })
        })
    }

    /// The provider's model of this (lower-case) name, else one of its
    /// fallback providers'.
    fn model_of<'t>(
        &'t self,
        provider: &'t Provider,
        model: &str,
    ) -> Option<(&'t Provider, &'t Model)> {
        let own = provider.models.iter().find(|m| m.rule.matches(model));
        if let Some(found) = own {
            return Some((provider, found));
        }
        provider.fallbacks.iter().find_map(|id| {
            let fallback = self.providers.iter().find(|p| &p.id == id)?;
            let found = fallback.models.iter().find(|m| m.rule.matches(model))?;
            Some((fallback, found))
        })
    }
}

impl Model {
    /// The prices in force at `unix_seconds`: the last that applies, else
    /// the first (as the table's own clients choose).
    fn rates_at(&self, unix_seconds: u64) -> Option<&Rates> {
        let second_of_day = u32::try_from(unix_seconds % 86_400).unwrap_or(0);
        self.prices
            .iter()
            .rev()
            .find(|dated| match dated.when {
                When::Always => true,
                When::From(start) => unix_seconds >= start,
                When::TimeOfDay(start, end) if start <= end => {
                    (start..end).contains(&second_of_day)
                }
                When::TimeOfDay(start, end) => second_of_day >= start || second_of_day < end,
            })
            .or_else(|| self.prices.first())
            .map(|dated| &dated.rates)
    }
}

/// A rule on a name: the table's match language.
enum Rule {
    Equals(String),
    StartsWith(String),
    EndsWith(String),
    Contains(String),
    Regex(regex_lite::Regex),
    Or(Vec<Rule>),
    And(Vec<Rule>),
}

impl Rule {
    /// Whether a lower-case name matches.
    fn matches(&self, name: &str) -> bool {
        match self {
            Rule::Equals(text) => name == text,
            Rule::StartsWith(text) => name.starts_with(text.as_str()),
            Rule::EndsWith(text) => name.ends_with(text.as_str()),
            Rule::Contains(text) => name.contains(text.as_str()),
            Rule::Regex(regex) => regex.is_match(name),
            Rule::Or(rules) => rules.iter().any(|rule| rule.matches(name)),
            Rule::And(rules) => rules.iter().all(|rule| rule.matches(name)),
        }
    }
}

// The JSON as the feed writes it.

#[derive(Deserialize)]
struct ProviderJson {
    id: String,
    #[serde(default)]
    provider_match: Option<RuleJson>,
    #[serde(default)]
    model_match: Option<RuleJson>,
    #[serde(default)]
    fallback_model_providers: Vec<String>,
    models: Vec<ModelJson>,
}

#[derive(Deserialize)]
struct ModelJson {
    id: String,
    #[serde(rename = "match")]
    rule: RuleJson,
    prices: PricesJson,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum RuleJson {
    Equals(String),
    StartsWith(String),
    EndsWith(String),
    Contains(String),
    Regex(String),
    Or(Vec<RuleJson>),
    And(Vec<RuleJson>),
}

#[derive(Deserialize)]
#[serde(untagged)]
enum PricesJson {
    Dated(Vec<DatedJson>),
    One(HashMap<String, serde_json::Value>),
}

#[derive(Deserialize)]
struct DatedJson {
    #[serde(default)]
    constraint: Option<ConstraintJson>,
    prices: HashMap<String, serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum ConstraintJson {
    StartDate {
        start_date: String,
    },
    TimeOfDay {
        start_time: String,
        end_time: String,
    },
}

#[derive(Deserialize)]
#[serde(untagged)]
enum PriceJson {
    Flat(f64),
    Tiered { base: f64, tiers: Vec<TierJson> },
}

#[derive(Deserialize)]
struct TierJson {
    start: u64,
    price: f64,
}

impl ProviderJson {
    fn read(self) -> Result<Provider, String> {
        let id = self.id;
        let models = self
            .models
            .into_iter()
            .map(|model| {
                let prices = match model.prices {
                    PricesJson::One(prices) => vec![Dated {
                        when: When::Always,
                        rates: rates(&prices)?,
                    }],
                    PricesJson::Dated(list) => list
                        .into_iter()
                        .map(|dated| {
                            Ok(Dated {
                                when: when(dated.constraint)?,
                                rates: rates(&dated.prices)?,
                            })
                        })
                        .collect::<Result<_, String>>()?,
                };
                Ok(Model {
                    rule: model.rule.read()?,
                    id: model.id,
                    prices,
                })
            })
            .collect::<Result<_, String>>()
            .map_err(|err| format!("provider {id}: {err}"))?;
        Ok(Provider {
            provider_match: self.provider_match.map(RuleJson::read).transpose()?,
            model_match: self.model_match.map(RuleJson::read).transpose()?,
            fallbacks: self.fallback_model_providers,
            models,
            id,
        })
    }
}

impl RuleJson {
    fn read(self) -> Result<Rule, String> {
        let all = |rules: Vec<RuleJson>| -> Result<Vec<Rule>, String> {
            rules.into_iter().map(RuleJson::read).collect()
        };
        Ok(match self {
            RuleJson::Equals(text) => Rule::Equals(text.to_lowercase()),
            RuleJson::StartsWith(text) => Rule::StartsWith(text.to_lowercase()),
            RuleJson::EndsWith(text) => Rule::EndsWith(text.to_lowercase()),
            RuleJson::Contains(text) => Rule::Contains(text.to_lowercase()),
            RuleJson::Regex(pattern) => Rule::Regex(
                regex_lite::Regex::new(&pattern)
                    .map_err(|err| format!("the pattern {pattern:?}: {err}"))?,
            ),
            RuleJson::Or(rules) => Rule::Or(all(rules)?),
            RuleJson::And(rules) => Rule::And(all(rules)?),
        })
    }
}

fn when(constraint: Option<ConstraintJson>) -> Result<When, String> {
    Ok(match constraint {
        None => When::Always,
        Some(ConstraintJson::StartDate { start_date }) => {
            let nanos = crate::ingest::time::rfc3339_nanos(&format!("{start_date}T00:00:00Z"))
                .ok_or_else(|| format!("a start date {start_date:?}"))?;
            When::From(nanos / 1_000_000_000)
        }
        Some(ConstraintJson::TimeOfDay {
            start_time,
            end_time,
        }) => When::TimeOfDay(second_of_day(&start_time)?, second_of_day(&end_time)?),
    })
}

/// "16:30:00Z" as seconds since midnight.
fn second_of_day(text: &str) -> Result<u32, String> {
    let parts: Vec<u32> = text
        .trim_end_matches('Z')
        .split(':')
        .map(|part| part.parse().map_err(|_| format!("a time of day {text:?}")))
        .collect::<Result<_, _>>()?;
    match parts.as_slice() {
        [hours, minutes, seconds] => Ok(hours * 3600 + minutes * 60 + seconds),
        [hours, minutes] => Ok(hours * 3600 + minutes * 60),
        _ => Err(format!("a time of day {text:?}")),
    }
}

/// The prices this viewer uses (audio, image and search prices are for
/// counts spans do not carry).
fn rates(prices: &HashMap<String, serde_json::Value>) -> Result<Rates, String> {
    let rate = |key: &str| -> Result<Option<Rate>, String> {
        let Some(value) = prices.get(key) else {
            return Ok(None);
        };
        let price: PriceJson = serde_json::from_value(value.clone())
            .map_err(|err| format!("the price {key}: {err}"))?;
        Ok(Some(match price {
            PriceJson::Flat(price) => Rate::flat(price),
            PriceJson::Tiered { base, mut tiers } => {
                tiers.sort_by_key(|tier| tier.start);
                Rate {
                    base,
                    tiers: tiers
                        .into_iter()
                        .map(|tier| (tier.start, tier.price))
                        .collect(),
                }
            }
        }))
    };
    let per_request = match prices.get("requests_kcount") {
        Some(value) => value.as_f64().unwrap_or(0.0) / 1000.0,
        None => 0.0,
    };
    Ok(Rates {
        input: rate("input_mtok")?.unwrap_or_default(),
        output: rate("output_mtok")?.unwrap_or_default(),
        cache_read: rate("cache_read_mtok")?,
        cache_write: rate("cache_write_mtok")?,
        per_request,
    })
}

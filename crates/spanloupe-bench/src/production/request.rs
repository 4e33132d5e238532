//! One user request (a trace): what it is for and the ids it carries. The
//! same ids reappear on the trace's spans (in URLs, SQL, cache keys), and
//! differ from trace to trace, as in production.

use super::services::{ASSISTANT, ORDERS, PAYMENTS, SEARCH, STOREFRONT, SUPPORT_BOT, USERS};
use super::values::{between, ipv4, iso8601, member_uuid, pick, token, user_agent, uuid};
use crate::Rng;

/// What the request is for, which decides where it enters and what it calls.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    Product,
    Search,
    Order,
    Account,
    Checkout,
    /// A Kafka message processed by the payments service.
    Settlement,
    /// A question to one of the chat assistants.
    Assistant,
}

/// Registered users: more than the traces' users, so most users appear once
/// or twice, as in an hour of a real shop.
const USER_COUNT: u64 = 40_000;
/// Namespaces of [`member_uuid`], so users and sessions never share ids.
const USER_IDS: u64 = 0x05e5;
const SESSION_IDS: u64 = 0x5e55_1011;

const WORDS: [&str; 24] = [
    "wireless",
    "headphones",
    "running",
    "shoes",
    "linen",
    "shirt",
    "espresso",
    "grinder",
    "standing",
    "desk",
    "usb-c",
    "charger",
    "winter",
    "jacket",
    "yoga",
    "mat",
    "cast",
    "iron",
    "pan",
    "kids",
    "backpack",
    "led",
    "lamp",
    "merino",
];

pub struct Request {
    pub endpoint: Endpoint,
    /// The service the request enters by.
    pub entry: usize,
    pub id: String,
    pub user: String,
    pub session: String,
    pub tenant: u64,
    pub user_agent: String,
    pub client_ip: String,
    pub order: String,
    pub cart: String,
    pub sku: u64,
    pub terms: String,
    /// The assistant conversation, for assistant requests.
    pub conversation: String,
    /// When the request arrived (Unix nanoseconds).
    pub start: u64,
}

impl Request {
    pub fn new(rng: &mut Rng, seed: u64, start: u64) -> Self {
        let endpoint = match rng.below(100) {
            0..32 => Endpoint::Product,
            32..49 => Endpoint::Search,
            49..63 => Endpoint::Order,
            63..75 => Endpoint::Account,
            75..85 => Endpoint::Checkout,
            85..95 => Endpoint::Settlement,
            _ => Endpoint::Assistant,
        };
        let entry = match endpoint {
            Endpoint::Settlement => PAYMENTS,
            Endpoint::Assistant if rng.below(2) == 0 => ASSISTANT,
            Endpoint::Assistant => SUPPORT_BOT,
            _ => STOREFRONT,
        };
        let user_index = rng.below(USER_COUNT);
        Request {
            endpoint,
            entry,
            id: uuid(rng),
            user: member_uuid(seed ^ USER_IDS, user_index),
            // A user has a few sessions over the hour.
            session: member_uuid(seed ^ SESSION_IDS, user_index * 4 + rng.below(3)),
            tenant: rng.below(500),
            user_agent: user_agent(rng),
            client_ip: ipv4(rng),
            order: uuid(rng),
            cart: uuid(rng),
            sku: between(rng, 100_000, 999_999),
            terms: format!("{}+{}", pick(rng, &WORDS), pick(rng, &WORDS)),
            conversation: uuid(rng),
            start,
        }
    }

    /// The time of the request in milliseconds, as cache busters and
    /// tracking parameters write it.
    pub fn millis(&self) -> u64 {
        self.start / 1_000_000
    }

    pub fn received_at(&self) -> String {
        iso8601(self.start)
    }

    /// The services the entry service calls for this request.
    pub fn backends(&self, service: usize) -> &'static [usize] {
        if service != STOREFRONT {
            return super::services::SERVICES[service].calls;
        }
        match self.endpoint {
            Endpoint::Product => &[SEARCH, USERS],
            Endpoint::Search => &[SEARCH],
            Endpoint::Order => &[ORDERS, USERS],
            Endpoint::Account => &[USERS, ORDERS],
            Endpoint::Checkout => &[ORDERS, PAYMENTS, USERS],
            Endpoint::Settlement | Endpoint::Assistant => &[],
        }
    }
}

/// An HTTP request to a service: its route (low cardinality, the span's
/// name) and its actual path and query (full of ids).
pub struct Call {
    pub method: &'static str,
    pub route: &'static str,
    pub path: String,
    /// Without the `?`; empty when there is none.
    pub query: String,
}

impl Call {
    /// The path with its query, as `http.target` and URLs write it.
    pub fn target(&self) -> String {
        if self.query.is_empty() {
            self.path.clone()
        } else {
            format!("{}?{}", self.path, self.query)
        }
    }
}

/// What `request` asks of `service` over HTTP.
pub fn call(rng: &mut Rng, request: &Request, service: usize) -> Call {
    let r = request;
    let (method, route, path, query) = match service {
        STOREFRONT => match r.endpoint {
            Endpoint::Product => (
                "GET",
                "/products/:sku",
                format!("/products/{}-{}", r.sku, r.terms.replace('+', "-")),
                format!(
                    "ref={}&sid={}&_={}",
                    pick(rng, &["home", "search", "newsletter", "ads-google", "recs"]),
                    r.session,
                    r.millis()
                ),
            ),
            Endpoint::Search => (
                "GET",
                "/search",
                "/search".to_owned(),
                format!(
                    "q={}&page={}&sort=relevance&sid={}",
                    r.terms,
                    between(rng, 1, 6),
                    r.session
                ),
            ),
            Endpoint::Order => (
                "GET",
                "/account/orders/:orderId",
                format!("/account/orders/{}", r.order),
                format!("tab=tracking&_={}", r.millis()),
            ),
            Endpoint::Checkout => (
                "POST",
                "/checkout/:cartId/confirm",
                format!("/checkout/{}/confirm", r.cart),
                format!("payment_intent=pi_{}", token(rng, 24)),
            ),
            _ => (
                "GET",
                "/account",
                "/account".to_owned(),
                format!("sid={}", r.session),
            ),
        },
        ORDERS => match rng.below(3) {
            0 => (
                "GET",
                "/v2/orders/{orderId}",
                format!("/v2/orders/{}", r.order),
                "include=items,shipments".to_owned(),
            ),
            1 => ("POST", "/v2/orders", "/v2/orders".to_owned(), String::new()),
            _ => (
                "GET",
                "/v2/users/{userId}/orders",
                format!("/v2/users/{}/orders", r.user),
                format!("limit=20&cursor={}", token(rng, 16)),
            ),
        },
        USERS => match rng.below(3) {
            0 => (
                "GET",
                "/v1/users/{id}",
                format!("/v1/users/{}", r.user),
                String::new(),
            ),
            1 => (
                "GET",
                "/v1/sessions/{id}",
                format!("/v1/sessions/{}", r.session),
                "touch=true".to_owned(),
            ),
            _ => (
                "GET",
                "/v1/users/{id}/addresses",
                format!("/v1/users/{}/addresses", r.user),
                String::new(),
            ),
        },
        PAYMENTS => {
            if rng.below(2) == 0 {
                (
                    "POST",
                    "/payments/v1/charges",
                    "/payments/v1/charges".to_owned(),
                    format!("idempotency_key={}", uuid(rng)),
                )
            } else {
                (
                    "GET",
                    "/payments/v1/charges/{chargeId}",
                    format!("/payments/v1/charges/ch_{}", token(rng, 24)),
                    String::new(),
                )
            }
        }
        SEARCH => (
            "GET",
            "/search/v1/products",
            "/search/v1/products".to_owned(),
            format!(
                "q={}&tenant={}&from={}&size=24&request_id={}",
                r.terms,
                r.tenant,
                24 * rng.below(6),
                r.id
            ),
        ),
        _ => (
            "POST",
            "/v1/conversations/{conversationId}/messages",
            format!("/v1/conversations/{}/messages", r.conversation),
            String::new(),
        ),
    };
    Call {
        method,
        route,
        path,
        query,
    }
}

//! What each kind of span says: its name (low cardinality, as conventions
//! ask) and its attributes (full of the request's ids), in the conventions
//! of the service that records it.

use spanloupe_core::wire::common::any_value::Value as WireValue;
use spanloupe_core::wire::{AnyValue, ArrayValue, Event, KeyValue, Span, Status};

use super::request::{Call, Request};
use super::services::{Conventions, PAYMENTS, SEARCH, SERVICES, USERS, host};
use super::values::{between, chance, hex, iso8601, pick, pod_ip, token, uuid};
use crate::{Rng, kv_double, kv_int, kv_str};

const SERVER: i32 = 2;
const CLIENT: i32 = 3;
const PRODUCER: i32 = 4;
const CONSUMER: i32 = 5;

/// The storefront's public address.
const PUBLIC_HOST: &str = "shop.example.com";

/// A header as the conventions record it: an array of its values.
fn header(key: &str, value: &str) -> KeyValue {
    KeyValue {
        key: key.to_owned(),
        value: Some(AnyValue {
            value: Some(WireValue::ArrayValue(ArrayValue {
                values: vec![AnyValue {
                    value: Some(WireValue::StringValue(value.to_owned())),
                }],
            })),
        }),
    }
}

/// The response status of a call: mostly 200, some client errors (which are
/// not the server's errors), and 5xx when the span failed.
pub fn status_code(rng: &mut Rng, error: bool, method: &str) -> i64 {
    if error {
        *pick(rng, &[500, 502, 503, 504])
    } else if chance(rng, 3) {
        *pick(rng, &[400, 401, 404, 404, 409, 429])
    } else if method == "POST" {
        201
    } else {
        200
    }
}

/// The span of the service answering `call`. `entry` when it is where the
/// request came in (from a browser), not from another service.
pub fn server(
    span: &mut Span,
    rng: &mut Rng,
    request: &Request,
    service: usize,
    call: &Call,
    status: i64,
    caller_agent: Option<&str>,
) {
    let entry = caller_agent.is_none();
    span.name = format!("{} {}", call.method, call.route);
    span.kind = SERVER;
    let (scheme, host) = if entry {
        ("https", PUBLIC_HOST.to_owned())
    } else {
        ("http", host(service))
    };
    let agent = caller_agent.unwrap_or(&request.user_agent);
    let client = if entry {
        request.client_ip.clone()
    } else {
        pod_ip(rng)
    };
    let a = &mut span.attributes;
    match SERVICES[service].conventions {
        Conventions::Current => {
            a.push(kv_str("http.request.method", call.method));
            a.push(kv_str("http.route", call.route));
            a.push(kv_str("url.path", &call.path));
            if !call.query.is_empty() {
                a.push(kv_str("url.query", &call.query));
            }
            a.push(kv_str("url.scheme", scheme));
            a.push(kv_str("server.address", &host));
            a.push(kv_int("server.port", if entry { 443 } else { 8080 }));
            a.push(kv_str("client.address", &client));
            a.push(kv_str("user_agent.original", agent));
            a.push(kv_str("network.protocol.version", "1.1"));
            a.push(kv_int("http.response.status_code", status));
        }
        Conventions::Legacy => {
            a.push(kv_str("http.method", call.method));
            a.push(kv_str("http.route", call.route));
            a.push(kv_str("http.target", &call.target()));
            a.push(kv_str(
                "http.url",
                &format!("{scheme}://{host}{}", call.target()),
            ));
            a.push(kv_str("http.scheme", scheme));
            a.push(kv_str("http.host", &host));
            a.push(kv_str("http.flavor", "1.1"));
            a.push(kv_str("net.peer.ip", &client));
            a.push(kv_str("http.user_agent", agent));
            a.push(kv_int("http.status_code", status));
        }
    }
    a.push(header("http.request.header.x-request-id", &request.id));
    a.push(kv_str("app.request.id", &request.id));
    a.push(kv_str("enduser.id", &request.user));
    if entry {
        a.push(kv_str("session.id", &request.session));
        a.push(kv_int(
            "app.tenant.id",
            i64::try_from(request.tenant).unwrap_or(0),
        ));
        a.push(kv_str("app.request.received_at", &request.received_at()));
    }
}

/// The calling side of `call`, from `service` to `target`.
pub fn client(span: &mut Span, service: usize, target: usize, call: &Call, status: i64) {
    let host = host(target);
    let url = format!("http://{host}:8080{}", call.target());
    let a = &mut span.attributes;
    span.kind = CLIENT;
    match SERVICES[service].conventions {
        Conventions::Current => {
            span.name = call.method.to_owned();
            a.push(kv_str("http.request.method", call.method));
            a.push(kv_str("url.full", &url));
            a.push(kv_str("server.address", &host));
            a.push(kv_int("server.port", 8080));
            a.push(kv_int("http.response.status_code", status));
        }
        Conventions::Legacy => {
            span.name = format!("HTTP {}", call.method);
            a.push(kv_str("http.method", call.method));
            a.push(kv_str("http.url", &url));
            a.push(kv_str("net.peer.name", &host));
            a.push(kv_int("net.peer.port", 8080));
            a.push(kv_int("http.status_code", status));
        }
    }
}

/// A PostgreSQL query with its literals in, as most instrumentations record
/// statements (sanitizing is off by default in several).
pub fn database(span: &mut Span, rng: &mut Rng, request: &Request, service: usize) {
    let r = request;
    let database = SERVICES[service].database.unwrap_or("app");
    let at = iso8601(span.start_time_unix_nano);
    let cents = between(rng, 399, 189_999);
    let (operation, table, statement) = match (service, rng.below(4)) {
        (USERS, 0) => (
            "SELECT",
            "users",
            format!(
                "SELECT id, email, display_name, locale, tier, created_at FROM users WHERE id = '{}'",
                r.user
            ),
        ),
        (USERS, 1) => (
            "SELECT",
            "sessions",
            format!(
                "SELECT s.id, s.user_id, s.expires_at FROM sessions s WHERE s.id = '{}' AND s.expires_at > '{at}'",
                r.session
            ),
        ),
        (USERS, 2) => (
            "UPDATE",
            "sessions",
            format!(
                "UPDATE sessions SET last_seen_at = '{at}', last_ip = '{}', user_agent = '{}' WHERE id = '{}'",
                r.client_ip, r.user_agent, r.session
            ),
        ),
        (USERS, _) => (
            "SELECT",
            "addresses",
            format!(
                "SELECT a.id, a.line1, a.city, a.postcode, a.country FROM addresses a WHERE a.user_id = '{}' AND a.deleted_at IS NULL",
                r.user
            ),
        ),
        (PAYMENTS, 0 | 1) => (
            "INSERT",
            "charges",
            format!(
                "INSERT INTO charges (id, order_id, amount_cents, currency, card_fingerprint, idempotency_key, created_at) VALUES ('{}', '{}', {cents}, 'EUR', '{}', '{}', '{at}')",
                uuid(rng),
                r.order,
                hex(rng, 16),
                uuid(rng)
            ),
        ),
        (PAYMENTS, _) => (
            "SELECT",
            "charges",
            format!(
                "SELECT id, status, amount_cents FROM charges WHERE order_id = '{}' FOR UPDATE",
                r.order
            ),
        ),
        (SEARCH, 0 | 1) => {
            let skus: Vec<String> = (0..between(rng, 4, 24))
                .map(|_| between(rng, 100_000, 999_999).to_string())
                .collect();
            (
                "SELECT",
                "products",
                format!(
                    "SELECT p.sku, p.title, p.price_cents, p.stock FROM products p WHERE p.sku IN ({}) AND p.tenant_id = {}",
                    skus.join(", "),
                    r.tenant
                ),
            )
        }
        (SEARCH, _) => {
            let terms = r.terms.replace('+', " ");
            (
                "SELECT",
                "products",
                format!(
                    "SELECT p.sku, p.title FROM products p WHERE p.tenant_id = {} AND p.search_vector @@ plainto_tsquery('english', '{terms}') ORDER BY ts_rank(p.search_vector, plainto_tsquery('english', '{terms}')) DESC LIMIT 24 OFFSET {}",
                    r.tenant,
                    24 * rng.below(6)
                ),
            )
        }
        (_, 0) => (
            "SELECT",
            "orders",
            format!(
                "SELECT o.id, o.status, o.total_cents, o.currency, o.created_at, o.updated_at FROM orders o WHERE o.id = '{}' AND o.user_id = '{}' LIMIT 1",
                r.order, r.user
            ),
        ),
        (_, 1) => (
            "SELECT",
            "order_items",
            format!(
                "SELECT i.sku, i.quantity, i.unit_price_cents FROM order_items i WHERE i.order_id = '{}' ORDER BY i.position",
                r.order
            ),
        ),
        (_, 2) => (
            "INSERT",
            "orders",
            format!(
                "INSERT INTO orders (id, user_id, cart_id, status, total_cents, currency, created_at) VALUES ('{}', '{}', '{}', 'pending', {cents}, 'EUR', '{at}')",
                r.order, r.user, r.cart
            ),
        ),
        (_, _) => (
            "UPDATE",
            "orders",
            format!(
                "UPDATE orders SET status = 'paid', paid_at = '{at}', payment_id = '{}' WHERE id = '{}'",
                uuid(rng),
                r.order
            ),
        ),
    };
    span.name = format!("{operation} {database}.{table}");
    span.kind = CLIENT;
    let server = format!("pg-{database}-{}.db.internal", rng.below(3));
    let rows = i64::try_from(rng.below(40)).unwrap_or(0);
    let a = &mut span.attributes;
    match SERVICES[service].conventions {
        Conventions::Current => {
            a.push(kv_str("db.system.name", "postgresql"));
            a.push(kv_str("db.namespace", database));
            a.push(kv_str("db.collection.name", table));
            a.push(kv_str("db.operation.name", operation));
            a.push(kv_str("db.query.text", &statement));
            a.push(kv_str("server.address", &server));
            a.push(kv_int("server.port", 5432));
            a.push(kv_int("db.response.returned_rows", rows));
        }
        Conventions::Legacy => {
            a.push(kv_str("db.system", "postgresql"));
            a.push(kv_str("db.name", database));
            a.push(kv_str("db.user", &format!("{database}_app")));
            a.push(kv_str("db.sql.table", table));
            a.push(kv_str("db.operation", operation));
            a.push(kv_str("db.statement", &statement));
            a.push(kv_str("net.peer.name", &server));
            a.push(kv_int("net.peer.port", 5432));
        }
    }
}

/// A Redis command with its key (sessions, carts, rate limits).
pub fn cache(span: &mut Span, rng: &mut Rng, request: &Request, service: usize) {
    let r = request;
    let minute = r.start / 60_000_000_000;
    let statement = match rng.below(6) {
        0 => format!("GET session:{}", r.session),
        1 => format!("HGETALL cart:{}", r.user),
        2 => format!("SETEX product:{}:{} 300 ?", r.tenant, r.sku),
        3 => format!("INCR ratelimit:{}:{minute}", r.client_ip),
        4 => format!("GET conversation:{}:summary", r.conversation),
        _ => format!("EXPIRE session:{} 1800", r.session),
    };
    let command = statement.split(' ').next().unwrap_or("GET").to_owned();
    let server = format!("redis-{}.cache.internal", rng.below(3));
    span.kind = CLIENT;
    span.name = command;
    let a = &mut span.attributes;
    match SERVICES[service].conventions {
        Conventions::Current => {
            a.push(kv_str("db.system.name", "redis"));
            a.push(kv_str("db.namespace", "0"));
            a.push(kv_str("db.query.text", &statement));
            a.push(kv_str("server.address", &server));
            a.push(kv_int("server.port", 6379));
        }
        Conventions::Legacy => {
            a.push(kv_str("db.system", "redis"));
            a.push(kv_int("db.redis.database_index", 0));
            a.push(kv_str("db.statement", &statement));
            a.push(kv_str("net.peer.name", &server));
            a.push(kv_int("net.peer.port", 6379));
        }
    }
}

/// Publishing the order to Kafka (checkouts).
pub fn publish(span: &mut Span, rng: &mut Rng, request: &Request) {
    span.name = "orders.created publish".to_owned();
    span.kind = PRODUCER;
    messaging(&mut span.attributes, rng, request, "publish");
}

/// The root of a settlement: a Kafka message processed, linked to the
/// checkout that published it (in an earlier trace).
pub fn consume(span: &mut Span, rng: &mut Rng, request: &Request) {
    span.name = "orders.created process".to_owned();
    span.kind = CONSUMER;
    let produced = request
        .start
        .saturating_sub(between(rng, 5, 90_000) * 1_000_000);
    let a = &mut span.attributes;
    messaging(a, rng, request, "process");
    a.push(kv_str(
        "messaging.consumer.group.name",
        "payments-settlement",
    ));
    a.push(kv_int(
        "messaging.kafka.offset",
        i64::try_from(between(rng, 1_000_000, 9_000_000_000)).unwrap_or(0),
    ));
    a.push(kv_str("app.message.produced_at", &iso8601(produced)));
    a.push(kv_str("app.request.id", &request.id));
    span.links.push(spanloupe_core::wire::Link {
        trace_id: rng.bytes::<16>().to_vec(),
        span_id: rng.bytes::<8>().to_vec(),
        ..Default::default()
    });
}

fn messaging(a: &mut Vec<KeyValue>, rng: &mut Rng, request: &Request, operation: &str) {
    a.push(kv_str("messaging.system", "kafka"));
    a.push(kv_str("messaging.destination.name", "orders.created"));
    a.push(kv_str("messaging.operation.type", operation));
    a.push(kv_str("messaging.message.id", &uuid(rng)));
    a.push(kv_str("messaging.kafka.message.key", &request.order));
    a.push(kv_str(
        "messaging.destination.partition.id",
        &rng.below(24).to_string(),
    ));
    a.push(kv_int(
        "messaging.message.body.size",
        i64::try_from(between(rng, 300, 4000)).unwrap_or(0),
    ));
}

/// Names of work inside each service (by its index in `SERVICES`).
const INTERNAL: [[&str; 3]; 7] = [
    [
        "render product page",
        "resolve feature flags",
        "validate cart",
    ],
    [
        "OrderService.load",
        "PriceCalculator.compute",
        "OrderValidator.validate",
    ],
    [
        "UserRepository.find",
        "SessionService.touch",
        "AddressValidator.validate",
    ],
    [
        "FraudCheck.score",
        "ChargeService.authorize",
        "LedgerWriter.append",
    ],
    ["query.parse", "ranking.rerank", "facets.compute"],
    ["conversation.load", "prompt.build", "guardrails.check"],
    ["conversation.load", "prompt.build", "guardrails.check"],
];

/// Work inside a service, with a few attributes of the business.
pub fn internal(span: &mut Span, rng: &mut Rng, request: &Request, service: usize) {
    span.name = (*pick(rng, &INTERNAL[service.min(INTERNAL.len() - 1)])).to_owned();
    span.kind = 1;
    let a = &mut span.attributes;
    for _ in 0..rng.below(4) {
        a.push(match rng.below(5) {
            0 => kv_str("app.order.id", &request.order),
            1 => kv_int(
                "app.cart.item_count",
                i64::try_from(between(rng, 1, 14)).unwrap_or(1),
            ),
            2 => kv_double(
                "app.fraud.score",
                f64::from(u32::try_from(rng.below(10_000)).unwrap_or(0)) / 10_000.0,
            ),
            3 => kv_str("app.experiment.variant", pick(rng, &["control", "b", "c"])),
            _ => kv_int(
                "app.price.total_cents",
                i64::try_from(between(rng, 399, 189_999)).unwrap_or(0),
            ),
        });
    }
}

/// Marks `span` failed, with an exception event whose message and stack
/// carry the request's ids, in the language of the service.
pub fn fail(span: &mut Span, rng: &mut Rng, request: &Request, service: usize) {
    let language = SERVICES[service].language;
    let line = between(rng, 20, 900);
    let (kind, message, stack) = match language {
        "java" => (
            "org.postgresql.util.PSQLException",
            format!(
                "ERROR: deadlock detected. Process {} waits for ShareLock on transaction {}; blocked by process {}. (order {})",
                between(rng, 1000, 99_999),
                between(rng, 1_000_000, 99_999_999),
                between(rng, 1000, 99_999),
                request.order
            ),
            format!(
                "org.postgresql.util.PSQLException: ERROR: deadlock detected\n\tat org.postgresql.core.v3.QueryExecutorImpl.receiveErrorResponse(QueryExecutorImpl.java:2725)\n\tat com.example.shop.orders.OrderRepository.markPaid(OrderRepository.java:{line})\n\tat com.example.shop.orders.OrderService.settle(OrderService.java:{})\n\tat com.example.shop.web.RequestFilter.doFilter(RequestFilter.java:61)",
                between(rng, 20, 400)
            ),
        ),
        "go" => (
            "*net.OpError",
            format!(
                "dial tcp {}:5432: connect: connection timed out (request {})",
                pod_ip(rng),
                request.id
            ),
            format!(
                "goroutine {} [running]:\nmain.(*Store).Session(0xc000{}, {{0x1a2b3c0, 0xc00{}}})\n\t/src/users/store.go:{line} +0x1d4\nmain.(*Handler).getSession(...)\n\t/src/users/handler.go:88 +0x91",
                between(rng, 100, 99_999),
                hex(rng, 3),
                hex(rng, 4)
            ),
        ),
        "nodejs" => (
            "FetchError",
            format!(
                "request to http://orders-api.shop-prod.svc.cluster.local:8080/v2/orders/{} failed, reason: socket hang up",
                request.order
            ),
            format!(
                "FetchError: request to http://orders-api.shop-prod.svc.cluster.local:8080/v2/orders/{} failed, reason: socket hang up\n    at ClientRequest.<anonymous> (/app/node_modules/node-fetch/lib/index.js:1505:11)\n    at loadOrder (/app/dist/server/orders.js:{line}:17)\n    at async handler (/app/dist/server/routes.js:212:5)",
                request.order
            ),
        ),
        _ => (
            "openai.RateLimitError",
            format!(
                "Error code: 429 - Rate limit reached for requests (request id req_{}, retry after {} ms)",
                token(rng, 32),
                between(rng, 200, 9000)
            ),
            format!(
                "Traceback (most recent call last):\n  File \"/app/service/handlers.py\", line {line}, in handle\n    result = await self.run(conversation_id=\"{}\")\n  File \"/app/.venv/lib/python3.12/site-packages/openai/_base_client.py\", line 1634, in _request\n    raise self._make_status_error_from_response(err.response) from None\nopenai.RateLimitError: Error code: 429",
                request.conversation
            ),
        ),
    };
    span.status = Some(Status {
        message: message.clone(),
        code: 2,
    });
    span.events.push(Event {
        time_unix_nano: span.end_time_unix_nano,
        name: "exception".to_owned(),
        attributes: vec![
            kv_str("exception.type", kind),
            kv_str("exception.message", &message),
            kv_str("exception.stacktrace", &stack),
        ],
        dropped_attributes_count: 0,
    });
}

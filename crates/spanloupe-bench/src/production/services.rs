//! The services of the production-like export and their resources: a web
//! storefront, four backends and two chat assistants, each run as a few
//! instances (a resource each), instrumented with different SDKs and
//! semantic-convention versions, as real fleets are.

use spanloupe_core::wire::{KeyValue, Resource};

use super::values::{hex, member_uuid};
use crate::kv_str;

/// How a service writes its spans.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Conventions {
    /// Semantic conventions from 1.26 on: `url.full`, `db.query.text`...
    Current,
    /// Before 1.20: `http.url`, `http.target`, `db.statement`...
    Legacy,
}

/// How a chat assistant records its model calls.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum GenAi {
    None,
    /// `gen_ai.input.messages` / `gen_ai.output.messages` (semconv 1.37).
    Messages,
    /// OpenLLMetry's indexed `gen_ai.prompt.{i}.*` / `gen_ai.completion.{i}.*`.
    Indexed,
}

pub struct Service {
    pub name: &'static str,
    pub language: &'static str,
    pub sdk_version: &'static str,
    pub scope: &'static str,
    pub conventions: Conventions,
    pub genai: GenAi,
    /// Its PostgreSQL database, when it has one.
    pub database: Option<&'static str>,
    /// The services it calls over HTTP (the storefront's depend on the page).
    pub calls: &'static [usize],
    /// The user agent of its HTTP client, as the called service sees it.
    pub client_agent: &'static str,
}

pub const STOREFRONT: usize = 0;
pub const ORDERS: usize = 1;
pub const USERS: usize = 2;
pub const PAYMENTS: usize = 3;
pub const SEARCH: usize = 4;
pub const ASSISTANT: usize = 5;
pub const SUPPORT_BOT: usize = 6;

pub const SERVICES: [Service; 7] = [
    Service {
        name: "storefront-web",
        language: "nodejs",
        sdk_version: "1.25.1",
        scope: "@opentelemetry/instrumentation-http",
        conventions: Conventions::Legacy,
        genai: GenAi::None,
        database: None,
        calls: &[],
        client_agent: "node-fetch/1.0",
    },
    Service {
        name: "orders-api",
        language: "java",
        sdk_version: "1.44.1",
        scope: "io.opentelemetry.spring-webmvc-6.0",
        conventions: Conventions::Current,
        genai: GenAi::None,
        database: Some("orders"),
        calls: &[USERS, PAYMENTS],
        client_agent: "Java-http-client/21.0.5",
    },
    Service {
        name: "users-api",
        language: "go",
        sdk_version: "1.32.0",
        scope: "go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp",
        conventions: Conventions::Current,
        genai: GenAi::None,
        database: Some("accounts"),
        calls: &[],
        client_agent: "Go-http-client/1.1",
    },
    Service {
        name: "payments",
        language: "java",
        sdk_version: "1.44.1",
        scope: "io.opentelemetry.spring-webmvc-6.0",
        conventions: Conventions::Current,
        genai: GenAi::None,
        database: Some("payments"),
        calls: &[USERS],
        client_agent: "Java-http-client/21.0.5",
    },
    Service {
        name: "search",
        language: "python",
        sdk_version: "1.21.0",
        scope: "opentelemetry.instrumentation.flask",
        conventions: Conventions::Legacy,
        genai: GenAi::None,
        database: Some("catalog"),
        calls: &[],
        client_agent: "python-requests/2.31.0",
    },
    Service {
        name: "shop-assistant",
        language: "python",
        sdk_version: "1.38.0",
        scope: "opentelemetry.instrumentation.openai_v2",
        conventions: Conventions::Current,
        genai: GenAi::Messages,
        database: None,
        calls: &[ORDERS],
        client_agent: "python-httpx/0.27.2",
    },
    Service {
        name: "support-bot",
        language: "python",
        sdk_version: "1.27.0",
        scope: "opentelemetry.instrumentation.openai.v1",
        conventions: Conventions::Legacy,
        genai: GenAi::Indexed,
        database: None,
        calls: &[ORDERS],
        client_agent: "python-httpx/0.27.2",
    },
];

/// Instances of each service: a resource each.
pub const INSTANCES: usize = 3;

/// Where a service is reached inside the cluster.
pub fn host(service: usize) -> String {
    format!("{}.shop-prod.svc.cluster.local", SERVICES[service].name)
}

/// The resource of one instance (`resource` is `service * INSTANCES +
/// instance`): ids of the pod, node and instance, as Kubernetes detectors
/// record them.
pub fn resource(seed: u64, resource: usize) -> Resource {
    let service = &SERVICES[resource / INSTANCES];
    let mut rng = crate::Rng::new(seed ^ 0x5e41_ce00 ^ resource as u64);
    let pod = format!("{}-{}-{}", service.name, hex(&mut rng, 5), hex(&mut rng, 3));
    let attributes: Vec<KeyValue> = vec![
        kv_str("service.name", service.name),
        kv_str("service.namespace", "shop"),
        kv_str(
            "service.version",
            &format!("2025.11.{}-{}", 3 + resource % 5, hex(&mut rng, 4)),
        ),
        kv_str(
            "service.instance.id",
            &member_uuid(seed ^ 0x1257_a4ce, resource as u64),
        ),
        kv_str("host.name", &pod),
        kv_str("k8s.pod.name", &pod),
        kv_str(
            "k8s.pod.uid",
            &member_uuid(seed ^ 0x9_0d01d, resource as u64),
        ),
        kv_str("k8s.namespace.name", "shop-prod"),
        kv_str("k8s.deployment.name", service.name),
        kv_str(
            "k8s.node.name",
            &format!("gke-prod-pool-2-{}-{}", hex(&mut rng, 4), hex(&mut rng, 2)),
        ),
        kv_str("cloud.provider", "gcp"),
        kv_str("cloud.region", "europe-west1"),
        kv_str("deployment.environment.name", "production"),
        kv_str("telemetry.sdk.language", service.language),
        kv_str("telemetry.sdk.name", "opentelemetry"),
        kv_str("telemetry.sdk.version", service.sdk_version),
    ];
    Resource {
        attributes,
        dropped_attributes_count: 0,
    }
}

//! The command line. Tests and the README rely on these flag names.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;

use crate::proxy::Proxy;

const AFTER_HELP: &str = "\
Ports:
  --listen       OTLP/HTTP (POST /v1/traces, /v1/logs, /v1/metrics), the read API
                 (/api/v3/…, /api/spanloupe/…) and the viewer (open http://ADDR/)
  --grpc-listen  OTLP/gRPC (TraceService, LogsService, MetricsService)

Point an instrumented app at it:
  OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318
  OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf     (or http/json; or grpc with port 4317)

Capture GenAI message content (off by default in most instrumentations):
  OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true
  OTEL_SEMCONV_STABILITY_OPT_IN=gen_ai_latest_experimental

With --token T, send `Authorization: Bearer T`
  (OTEL_EXPORTER_OTLP_HEADERS=Authorization=Bearer%20T).";

/// A local OpenTelemetry collector for the Spanloupe viewer: apps export
/// OTLP to it, it keeps the traces in SQLite and serves them live.
#[derive(Parser, Debug)]
#[command(name = "spanloupe-collect", version, after_help = AFTER_HELP)]
pub struct Args {
    /// OTLP/HTTP, the read API and the viewer. A port of 0 picks a free one.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:4318")]
    pub listen: SocketAddr,

    /// OTLP/gRPC. A port of 0 picks a free one.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:4317")]
    pub grpc_listen: SocketAddr,

    /// The SQLite file that keeps what was received (created if missing).
    #[arg(long, value_name = "PATH", default_value = "spanloupe.db")]
    pub db: PathBuf,

    /// Keep everything in memory instead: nothing is written to disk.
    #[arg(long, conflicts_with = "db")]
    pub memory: bool,

    /// The most spans kept; the traces least recently written to go first.
    #[arg(long, value_name = "N", default_value_t = 1_000_000)]
    pub max_spans: u64,

    /// Drop traces not written to for this long (e.g. 30m, 24h, 7d).
    #[arg(long, value_name = "DURATION", value_parser = crate::duration::parse)]
    pub max_age: Option<Duration>,

    /// The viewer's built files to serve at / (default: ./dist when it exists).
    #[arg(long, value_name = "DIR")]
    pub ui: Option<PathBuf>,

    /// Require `Authorization: Bearer T` on the receivers and the read API.
    #[arg(long, value_name = "T", env = "SPANLOUPE_COLLECT_TOKEN")]
    pub token: Option<String>,

    /// Let the viewer reach an http:// Jaeger or Tempo through the collector
    /// at /proxy/NAME/… (and /api/spanloupe/proxy/NAME/…); may be given several times.
    #[arg(long = "proxy", value_name = "NAME=URL", value_parser = crate::proxy::parse)]
    pub proxies: Vec<Proxy>,

    /// A header the collector adds to every request to a --proxy backend,
    /// such as its credentials or X-Scope-OrgID; may be given several times.
    #[arg(long = "proxy-header", value_name = "NAME:HEADER=VALUE", value_parser = crate::proxy::parse_header)]
    pub proxy_headers: Vec<crate::proxy::ProxyHeader>,

    /// The largest request body taken, in bytes (compressed or not).
    #[arg(long, value_name = "BYTES", default_value_t = 32 << 20)]
    pub max_body: usize,

    /// The largest a request may inflate to, in bytes (a gzip bomb stops here).
    #[arg(long, value_name = "BYTES", default_value_t = 256 << 20)]
    pub max_decompressed: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_otlp_ports_on_loopback() {
        let args = Args::try_parse_from(["spanloupe-collect"]).expect("no flags");
        assert_eq!(args.listen.to_string(), "127.0.0.1:4318");
        assert_eq!(args.grpc_listen.to_string(), "127.0.0.1:4317");
        assert_eq!(args.db, PathBuf::from("spanloupe.db"));
        assert!(!args.memory);
        assert_eq!(args.max_body, 32 << 20);
    }

    #[test]
    fn every_flag_of_the_readme() {
        let args = Args::try_parse_from([
            "spanloupe-collect",
            "--listen",
            "127.0.0.1:0",
            "--grpc-listen",
            "127.0.0.1:0",
            "--memory",
            "--max-spans",
            "5000",
            "--max-age",
            "30m",
            "--ui",
            "dist",
            "--token",
            "t0k",
            "--proxy",
            "jaeger=http://127.0.0.1:16686",
            "--proxy",
            "tempo=http://127.0.0.1:3200",
        ])
        .expect("valid");
        assert!(args.memory);
        assert_eq!(args.max_spans, 5000);
        assert_eq!(args.max_age, Some(Duration::from_secs(1800)));
        assert_eq!(args.proxies.len(), 2);
        assert_eq!(args.token.as_deref(), Some("t0k"));
    }

    #[test]
    fn db_and_memory_exclude_each_other() {
        assert!(Args::try_parse_from(["spanloupe-collect", "--db", "x.db", "--memory"]).is_err());
    }
}

//! Start-up: open the store, bind both ports, say where, serve until told to
//! stop.

use std::io::Write as _;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio_stream::wrappers::TcpListenerStream;

use crate::app::{App, Limits};
use crate::cli::Args;
use crate::store::{Bounds, Place, Store};

pub async fn run(args: Args) -> Result<(), String> {
    let place = if args.memory {
        Place::Memory
    } else {
        Place::File(args.db.clone())
    };
    let bounds = Bounds {
        max_spans: args.max_spans,
        max_age: args.max_age,
    };
    let store = Store::open(&place, bounds).map_err(|err| match &place {
        Place::File(path) => format!("cannot open the store {}: {err}", path.display()),
        Place::Memory => err.to_string(),
    })?;
    for (flag, addr) in [
        ("--listen", args.listen),
        ("--grpc-listen", args.grpc_listen),
    ] {
        if !addr.ip().is_loopback() {
            eprintln!(
                "spanloupe-collect: warning: {flag} {addr} is not a loopback address: anyone who \
                 can reach it can send traces{}",
                if args.token.is_some() {
                    ""
                } else {
                    " and read them (set --token)"
                }
            );
        }
    }
    let mut proxies = args.proxies.clone();
    crate::proxy::attach_headers(&mut proxies, &args.proxy_headers)?;
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let app = Arc::new(App {
        store: store.clone(),
        limits: Limits {
            max_body: args.max_body,
            max_decompressed: args.max_decompressed,
        },
        token: args.token.clone(),
        ui: crate::api::ui_dir(args.ui.as_deref()),
        metrics_requests: AtomicU64::new(0),
        proxies,
        stopping: stopped.clone(),
    });
    let http = bind(args.listen, "--listen").await?;
    let grpc = bind(args.grpc_listen, "--grpc-listen").await?;
    let (http_addr, grpc_addr) = (local(&http)?, local(&grpc)?);
    // Scripts and tests read this line to find the ports.
    println!("listening http={http_addr} grpc={grpc_addr}");
    let _ = std::io::stdout().flush();

    if let Some(age) = bounds.max_age {
        let store = store.clone();
        let every = (age / 10).clamp(Duration::from_millis(200), Duration::from_secs(10));
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(every);
            loop {
                ticks.tick().await;
                store.expire();
            }
        });
    }

    tokio::spawn(async move {
        shutdown_signal().await;
        let _ = stop.send(true);
    });
    let http_server = {
        let mut stopped = stopped.clone();
        axum::serve(http, crate::api::router(app.clone())).with_graceful_shutdown(async move {
            let _ = stopped.wait_for(|s| *s).await;
        })
    };
    let grpc_server = {
        let mut stopped = stopped.clone();
        tonic::transport::Server::builder()
            .add_routes(crate::receive::grpc::router(app))
            .serve_with_incoming_shutdown(TcpListenerStream::new(grpc), async move {
                let _ = stopped.wait_for(|s| *s).await;
            })
    };
    let (http_result, grpc_result) = tokio::join!(http_server, grpc_server);
    http_result.map_err(|err| format!("the HTTP server failed: {err}"))?;
    grpc_result.map_err(|err| format!("the gRPC server failed: {err}"))?;
    Ok(())
}

async fn bind(addr: SocketAddr, flag: &str) -> Result<TcpListener, String> {
    TcpListener::bind(addr).await.map_err(|err| {
        format!("cannot listen on {addr} ({flag}): {err}; another collector may be running, or pass {flag} 127.0.0.1:0 for a free port")
    })
}

fn local(listener: &TcpListener) -> Result<SocketAddr, String> {
    listener
        .local_addr()
        .map_err(|err| format!("cannot read the address listened on: {err}"))
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = terminate.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

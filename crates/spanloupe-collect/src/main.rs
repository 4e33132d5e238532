//! `spanloupe-collect`: a local OTLP collector (HTTP on 4318, gRPC on 4317)
//! that keeps what apps export in SQLite and serves the Spanloupe viewer live
//! on top of it. `--help` says how to point an app at it.

mod api;
mod app;
mod cli;
mod duration;
mod proxy;
mod receive;
mod server;
mod store;

use std::process::ExitCode;

use clap::Parser as _;

#[tokio::main]
async fn main() -> ExitCode {
    let args = cli::Args::parse();
    match server::run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("spanloupe-collect: {message}");
            ExitCode::FAILURE
        }
    }
}

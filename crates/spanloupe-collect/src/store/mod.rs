//! The store: SQLite through rusqlite (the bundled library), one writer
//! thread that commits requests in groups, and a reading connection for the
//! read API. A request is acknowledged only after the transaction holding it
//! is committed, so a restart loses nothing that was acknowledged.

pub mod read;
pub mod rows;
mod schema;
mod write;

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use rusqlite::Connection;
use tokio::sync::{broadcast, mpsc, oneshot};

pub use rows::{Batch, LogRow, Signal, SpanRow};

/// Where the data lives.
#[derive(Clone, Debug)]
pub enum Place {
    File(PathBuf),
    /// Nothing is written to disk; the data ends with the process.
    Memory,
}

/// How much the store keeps: the oldest traces (by their last received span)
/// go first when either bound is passed.
#[derive(Clone, Copy, Debug)]
pub struct Bounds {
    pub max_spans: u64,
    pub max_age: Option<Duration>,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the store failed: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// More writes are waiting than the writer takes: the client should retry.
    #[error("the collector is busy storing earlier requests")]
    Busy,
    /// The request alone holds more spans than the store may keep.
    #[error("the request holds {spans} spans, more than the store keeps (--max-spans {max})")]
    OverBound { spans: usize, max: u64 },
    /// A write failed (a full disk, a damaged file); the client may retry.
    #[error("the store could not write: {0}")]
    Write(String),
    #[error("the store has stopped")]
    Stopped,
}

/// What a write changed, sent to the live views.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    /// A trace got spans: how many now, and how many this request added.
    Trace {
        trace_id: [u8; 16],
        added: u64,
        spans: u64,
    },
    /// Log records arrived (for these traces, when they name one).
    Logs {
        trace_ids: Vec<[u8; 16]>,
        added: u64,
    },
    Evicted {
        traces: u64,
        spans: u64,
    },
    Cleared,
}

enum Command {
    Add(Batch, oneshot::Sender<Result<(), StoreError>>),
    Clear(oneshot::Sender<Result<(), StoreError>>),
    /// Drop what is older than `--max-age` (sent by a timer).
    Expire,
}

/// Writes wait here for the writer; past this many the receivers answer
/// "busy, retry after".
const QUEUE: usize = 256;

#[derive(Clone)]
pub struct Store {
    commands: mpsc::Sender<Command>,
    reader: Arc<Mutex<Connection>>,
    changes: broadcast::Sender<Change>,
    bounds: Bounds,
}

impl Store {
    /// Opens (or creates) the store and starts its writer thread.
    pub fn open(place: &Place, bounds: Bounds) -> Result<Store, StoreError> {
        let (writer, reader) = match place {
            Place::File(path) => {
                let writer = Connection::open(path)?;
                schema::prepare(&writer, false)?;
                let reader = Connection::open(path)?;
                schema::prepare(&reader, false)?;
                let writer = Arc::new(Mutex::new(writer));
                (writer, Arc::new(Mutex::new(reader)))
            }
            Place::Memory => {
                // One connection: an in-memory database is private to it.
                let conn = Connection::open_in_memory()?;
                schema::prepare(&conn, true)?;
                let shared = Arc::new(Mutex::new(conn));
                (shared.clone(), shared)
            }
        };
        let (commands, receiver) = mpsc::channel(QUEUE);
        let (changes, _) = broadcast::channel(4096);
        let writer_state = write::Writer::new(writer, bounds, changes.clone())?;
        std::thread::Builder::new()
            .name("store-writer".into())
            .spawn(move || writer_state.run(receiver))
            .map_err(|_| StoreError::Stopped)?;
        Ok(Store {
            commands,
            reader,
            changes,
            bounds,
        })
    }

    pub fn bounds(&self) -> Bounds {
        self.bounds
    }

    /// Stores a request; returns once it is committed.
    pub async fn add(&self, batch: Batch) -> Result<(), StoreError> {
        let spans = batch.spans.len();
        if u64::try_from(spans).unwrap_or(u64::MAX) > self.bounds.max_spans {
            return Err(StoreError::OverBound {
                spans,
                max: self.bounds.max_spans,
            });
        }
        let (reply, done) = oneshot::channel();
        self.commands
            .try_send(Command::Add(batch, reply))
            .map_err(|err| match err {
                mpsc::error::TrySendError::Full(_) => StoreError::Busy,
                mpsc::error::TrySendError::Closed(_) => StoreError::Stopped,
            })?;
        done.await.map_err(|_| StoreError::Stopped)?
    }

    /// Empties the store.
    pub async fn clear(&self) -> Result<(), StoreError> {
        let (reply, done) = oneshot::channel();
        self.commands
            .send(Command::Clear(reply))
            .await
            .map_err(|_| StoreError::Stopped)?;
        done.await.map_err(|_| StoreError::Stopped)?
    }

    /// Asks the writer to drop what `--max-age` no longer keeps.
    pub fn expire(&self) {
        // A full queue means the writer is busy, and it expires after each
        // group of writes anyway.
        let _ = self.commands.try_send(Command::Expire);
    }

    pub fn changes(&self) -> broadcast::Receiver<Change> {
        self.changes.subscribe()
    }

    /// Runs a read on the reading connection, off the async threads.
    pub async fn read<T, F>(&self, read: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let reader = self.reader.clone();
        tokio::task::spawn_blocking(move || read(&lock(&reader)))
            .await
            .map_err(|_| StoreError::Stopped)?
    }
}

impl Store {
    /// [`Store::read`] from a thread that may block (the export's).
    pub fn read_blocking<T>(
        &self,
        read: impl FnOnce(&Connection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        read(&lock(&self.reader))
    }
}

/// The connection, even when a thread panicked while holding it: SQLite
/// rolls back what that thread left unfinished.
fn lock(conn: &Mutex<Connection>) -> MutexGuard<'_, Connection> {
    conn.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

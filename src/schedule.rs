//! Giving the browser its turn in the middle of long work, so input and
//! painting are not held up: loads between steps, views between slices of
//! drawing.

/// Resolves after the browser has had a chance to paint (a timer task, so
/// the progress shown before heavy work is on screen).
pub async fn next_frame() {
    gloo_timers::future::TimeoutFuture::new(16).await;
}

/// Gives the browser a turn (input, a frame if one is due) and resumes in
/// the next task, without waiting a frame when none is due.
pub async fn next_task() {
    gloo_timers::future::TimeoutFuture::new(0).await;
}

//! A worker thread fed through a bounded channel: the writer's encoding and compression run
//! beside the ingest's parsing and mapping, so both cores work.

use crate::StoreError;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

/// Jobs queued beyond the one being worked on: none, so a send waits until the worker takes the
/// job and at most one job (a segment's 100k posts) is held beside the one being filled.
const QUEUED_JOBS: usize = 0;

/// Runs `work` on its own thread over the jobs sent to it, in order. The first error stops it;
/// the producer sees that error at its next [`Background::send`] or at [`Background::finish`].
pub(crate) struct Background<J: Send + 'static, R: Send + 'static> {
    sender: Option<SyncSender<J>>,
    handle: Option<JoinHandle<Result<R, StoreError>>>,
    /// Named in the error if the worker panics.
    path: PathBuf,
}

impl<J: Send + 'static, R: Send + 'static> Background<J, R> {
    pub(crate) fn spawn(
        path: PathBuf,
        work: impl FnOnce(Receiver<J>) -> Result<R, StoreError> + Send + 'static,
    ) -> Result<Background<J, R>, StoreError> {
        let (sender, receiver) = sync_channel(QUEUED_JOBS);
        let handle = std::thread::Builder::new()
            .name("dialoog-store-writer".into())
            .spawn(move || work(receiver))
            .map_err(|source| StoreError::Io {
                path: path.clone(),
                source,
            })?;
        Ok(Background {
            sender: Some(sender),
            handle: Some(handle),
            path,
        })
    }

    /// Queues a job; blocks while the queue is full.
    pub(crate) fn send(&mut self, job: J) -> Result<(), StoreError> {
        let sent = match &self.sender {
            Some(sender) => sender.send(job).is_ok(),
            None => false,
        };
        if sent {
            return Ok(());
        }
        // The worker has stopped: its error says why.
        match self.join() {
            Err(error) => Err(error),
            Ok(_) => Err(self.stopped()),
        }
    }

    /// Waits for every queued job; returns what the worker returned.
    pub(crate) fn finish(mut self) -> Result<R, StoreError> {
        self.join()
    }

    fn join(&mut self) -> Result<R, StoreError> {
        self.sender = None;
        match self.handle.take() {
            Some(handle) => handle.join().unwrap_or_else(|_| Err(self.stopped())),
            None => Err(self.stopped()),
        }
    }

    fn stopped(&self) -> StoreError {
        StoreError::Corrupt {
            path: self.path.clone(),
            message: "the background writer stopped".into(),
        }
    }
}

impl<J: Send + 'static, R: Send + 'static> Drop for Background<J, R> {
    /// Waits for the worker, so no file is written after its owner has cleaned up.
    fn drop(&mut self) {
        self.sender = None;
        if let Some(handle) = self.handle.take() {
            let _ = handle.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Background;
    use crate::StoreError;
    use std::path::PathBuf;

    #[test]
    fn jobs_run_in_order_and_the_result_comes_back() {
        let mut sum = Background::spawn(PathBuf::from("x"), |jobs| {
            Ok(jobs.iter().fold(Vec::new(), |mut seen, job: u32| {
                seen.push(job);
                seen
            }))
        })
        .unwrap();
        for job in 0..10 {
            sum.send(job).unwrap();
        }
        assert_eq!(sum.finish().unwrap(), (0..10).collect::<Vec<_>>());
    }

    #[test]
    fn a_failed_worker_reports_its_error_to_the_producer() {
        let mut failing = Background::spawn(PathBuf::from("x"), |jobs| {
            for job in jobs.iter() {
                if job == 3 {
                    return Err(StoreError::Corrupt {
                        path: PathBuf::from("segment-3"),
                        message: "disk full".into(),
                    });
                }
            }
            Ok(())
        })
        .unwrap();
        let error = (0..100)
            .map(|job| failing.send(job))
            .find_map(Result::err)
            .unwrap();
        assert!(
            error.to_string().contains("segment-3: disk full"),
            "{error}"
        );
    }
}

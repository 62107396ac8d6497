//! Work on worker threads with the results taken in order: the calling thread reads the input
//! and owns the sink, the workers parse and map, and what comes out is the same, in the same
//! order, as reading on one thread gives.

use std::collections::VecDeque;
use std::num::NonZeroUsize;
use std::sync::{Mutex, mpsc};
use std::thread;

/// Worker threads: one per core the process may use.
pub(crate) fn workers() -> usize {
    thread::available_parallelism().map_or(1, NonZeroUsize::get)
}

/// Runs `work` on each job `next` gives, on `workers` threads, and hands the results to
/// `consume` in the jobs' order, on the calling thread. Jobs are read ahead only a few at a
/// time, so memory stays bounded. The first error of `consume` stops everything and is returned.
pub(crate) fn ordered<J: Send, R: Send, E>(
    workers: usize,
    mut next: impl FnMut() -> Option<J>,
    work: impl Fn(J) -> R + Sync,
    mut consume: impl FnMut(R) -> Result<(), E>,
) -> Result<(), E> {
    let (jobs, queue) = mpsc::channel::<(J, mpsc::SyncSender<R>)>();
    let queue = Mutex::new(queue);
    let (queue, work) = (&queue, &work);
    // Enough jobs ahead that no worker waits for the next one while results are consumed.
    let ahead = workers.max(1) * 2 + 1;
    thread::scope(|scope| {
        for _ in 0..workers.max(1) {
            scope.spawn(move || {
                loop {
                    // The lock is held only while waiting for a job, not while working on one.
                    let job = match queue.lock() {
                        Ok(queue) => queue.recv(),
                        Err(_) => return,
                    };
                    let Ok((job, reply)) = job else { return };
                    // The caller may have stopped on an error: nobody waits for this one.
                    let _ = reply.send(work(job));
                }
            });
        }
        // Dropped when this closure returns, before the scope joins the workers: they stop.
        let jobs = jobs;
        let mut pending = VecDeque::with_capacity(ahead);
        let mut more = true;
        loop {
            while more && pending.len() < ahead {
                let Some(job) = next() else {
                    more = false;
                    break;
                };
                let (reply, result) = mpsc::sync_channel(1);
                if jobs.send((job, reply)).is_err() {
                    more = false;
                    break;
                }
                pending.push_back(result);
            }
            let Some(result) = pending.pop_front() else {
                return Ok(());
            };
            match result.recv() {
                Ok(result) => consume(result)?,
                // The worker panicked; the scope passes its panic on when it joins.
                Err(_) => return Ok(()),
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_the_jobs_order_whatever_the_workers_take() {
        let mut jobs = 0..200u64;
        let mut seen = Vec::new();
        let result: Result<(), ()> = ordered(
            3,
            || jobs.next(),
            |n| {
                // Uneven work, so that later jobs often finish first.
                thread::sleep(std::time::Duration::from_micros((n * 7919) % 300));
                n * 2
            },
            |doubled| {
                seen.push(doubled);
                Ok(())
            },
        );
        assert_eq!(result, Ok(()));
        assert_eq!(seen, (0..200).map(|n| n * 2).collect::<Vec<_>>());
    }

    #[test]
    fn the_first_error_stops_reading_and_is_returned() {
        let mut read = 0;
        let mut consumed = Vec::new();
        let result = ordered(
            2,
            || {
                read += 1;
                (read <= 1000).then_some(read)
            },
            |n| n,
            |n| {
                consumed.push(n);
                if n == 5 {
                    Err(format!("job {n}"))
                } else {
                    Ok(())
                }
            },
        );
        assert_eq!(result, Err("job 5".to_owned()));
        assert_eq!(consumed, [1, 2, 3, 4, 5]);
        assert!(read < 20, "read {read} jobs ahead");
    }
}

//! The text pipeline over a CSV's `text` column, repeated: a fixed amount of work for counting
//! instructions per post (`perf stat -e instructions` or `valgrind --tool=callgrind`), which
//! unlike wall-clock time does not depend on machine load.
//!
//! `cargo run --release -p dialoog-text --example throughput -- FILE.csv [ROUNDS]`
//!
//! One warm-up round (compiling the rules, filling the regex caches) runs first; the timed
//! rounds are [`measured_rounds`], so `valgrind --tool=callgrind --toggle-collect='*measured_rounds*'`
//! counts the steady state only: divide its total by posts × rounds.

use std::hint::black_box;

/// Every post through [`dialoog_text::measure`], `rounds` times. Not inlined, so that callgrind
/// can collect this function alone.
#[inline(never)]
fn measured_rounds(texts: &[String], rounds: usize) {
    for _ in 0..rounds {
        for text in texts {
            black_box(dialoog_text::measure(text, None, true));
        }
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: throughput FILE.csv [ROUNDS]")?;
    let rounds: usize = args.next().map_or(Ok(1), |r| r.parse())?;
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_path(&path)?;
    let column = reader
        .headers()?
        .iter()
        .position(|h| h == "text")
        .ok_or("no text column")?;
    let mut texts = Vec::new();
    for record in reader.records() {
        texts.push(record?.get(column).unwrap_or_default().to_string());
    }
    for text in &texts {
        black_box(dialoog_text::measure(text, None, true));
    }
    let start = std::time::Instant::now();
    measured_rounds(&texts, rounds);
    let posts = texts.len() * rounds;
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "{} texts, {posts} posts in {seconds:.3} s after one warm-up round: {:.0} posts/s",
        texts.len(),
        posts as f64 / seconds
    );
    Ok(())
}

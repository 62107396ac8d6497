//! Throughput of the per-post text measures on real tweet-length text: the 5,000 webcare tweets
//! that ship in data/webcare (English support conversations) and, when present, the 899 Dutch
//! political tweets of ../shared/data. `cargo bench -p dialoog-text`; numbers are posts per
//! second on one core (criterion's "elements/s").
//!
//! "pipeline" is [`dialoog_text::measure`]: language, sentiment, polarity and classification
//! from one tokenisation. Wall-clock numbers on the shared 2-core machine (load 6–15) are noisy;
//! instruction counts are not: `cargo run --release -p dialoog-text --example throughput -- FILE
//! ROUNDS` under `valgrind --tool=callgrind --toggle-collect='*measured_rounds*'` counts the
//! rounds after one uncounted warm-up round (rules compiled, regex caches filled); divide by
//! posts × rounds. (Before 2026-11-30 the table below used 3 rounds minus 1 round, which gives the
//! same steady state: 95,509 then, 95,415 now for the same code.)
//!
//! | set | instructions per post | posts/s, criterion |
//! |---|---|---|
//! | webcare, 4 tokenisations, 3-word fast path | 237,845 | ~12k (load ~15) |
//! | webcare, one tokenisation, whatlang | 95,415 | ~38k |
//! | webcare, whichlang for Latin script (issue #6) | 51,309 | — |
//! | webcare, + one lexicon lookup per word, foldhash | 39,788 | — |
//! | webcare, + tokeniser runs, no per-post allocations in classify | 32,708 | ~151k (load ~6.7) |
//! | webcare, + is_match before the rules' overlapping search | 29,743 | — |
//! | webcare, now: + tokeniser by byte offset | 26,770 | 118k–151k (load ~6.7) |
//! | Dutch dev, 4 tokenisations | 423,328 | — |
//! | Dutch dev, one tokenisation, whatlang | 185,348 | ~16k |
//! | Dutch dev, whichlang | 96,803 | — |
//! | Dutch dev, + tokeniser by byte offset | 52,720 | 53k–78k (load ~6.7) |
//! | Dutch dev, now: base forms of inflected words without allocating | 50,453 | — |
//!
//! Issue #6's 200k posts/s per core is not reached yet: at the ~4.9 billion instructions a
//! second measured here it needs ~24k instructions a post, and wall-clock runs on this loaded
//! machine vary by a third between runs of the same code. What is left, per webcare post:
//! tokenising ~9.6k; `classify` ~9.6k (replacing URLs and mentions before matching ~3.7k, the
//! rule sets' search ~5k); language ~4.0k; sentiment ~2.8k. Per Dutch post (twice as long):
//! tokenising ~14.6k; `classify` ~9.0k; the polarity model's features ~10.1k; sentiment ~6.8k
//! (most of it trying base forms of inflected words); language ~7.9k (whichlang ~3.4k: it runs
//! for 157 of the 899).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::Path;

fn texts(path: &Path) -> Vec<String> {
    let Ok(file) = std::fs::File::open(path) else {
        return Vec::new();
    };
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(file);
    let Ok(headers) = reader.headers().cloned() else {
        return Vec::new();
    };
    let Some(column) = headers.iter().position(|h| h == "text") else {
        return Vec::new();
    };
    reader
        .records()
        .filter_map(Result::ok)
        .filter_map(|record| record.get(column).map(str::to_string))
        .collect()
}

/// Every per-post measure, language detected: the single-pass API.
fn pipeline(text: &str) {
    black_box(dialoog_text::measure(text, None, true));
}

fn bench(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let sets = [
        (
            "webcare_en",
            texts(&root.join("../../data/webcare/twcs_head.csv")),
        ),
        (
            "political_nl",
            texts(&root.join("../../../shared/data/nl/political_tweets_polarity_dev.csv")),
        ),
    ];
    for (name, texts) in sets.iter().filter(|(_, t)| !t.is_empty()) {
        let mut group = c.benchmark_group(*name);
        group.throughput(Throughput::Elements(texts.len() as u64));
        group.sample_size(10);
        let each = |f: fn(&str)| {
            move || {
                for text in texts {
                    f(text);
                }
            }
        };
        group.bench_function("tokenize", |b| {
            b.iter(each(|t| {
                black_box(dialoog_text::tokenize(t));
            }))
        });
        group.bench_function("detect_language", |b| {
            b.iter(each(|t| {
                black_box(dialoog_text::detect_language(t));
            }))
        });
        group.bench_function("sentiment", |b| {
            b.iter(each(|t| {
                black_box(dialoog_text::sentiment(t, Some("nl")));
            }))
        });
        group.bench_function("post_polarity", |b| {
            b.iter(each(|t| {
                black_box(dialoog_text::post_polarity(t, Some("nl")));
            }))
        });
        group.bench_function("personal_data", |b| {
            b.iter(each(|t| {
                black_box(dialoog_text::pii::redact(t));
            }))
        });
        group.bench_function("classify", |b| {
            b.iter(each(|t| {
                black_box(dialoog_text::classify(t, None, true));
            }))
        });
        group.bench_function("pipeline", |b| b.iter(each(pipeline)));
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);

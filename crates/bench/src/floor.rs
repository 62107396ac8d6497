//! `dialoog-bench floor`: the work no ingest that keeps the original records can skip. The input
//! is gunzipped (on one thread, with the zlib backend ingest uses) and its bytes compressed as the
//! store compresses an ingest's records (on another, [`dialoog_store::compress_as_records`]).
//! `run` times it: half its CPU seconds on two cores is the least wall time of any such ingest,
//! whatever parsing, storing the posts and the factsheet cost.

use anyhow::Context as _;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::mpsc::sync_channel;

/// Bytes handed from the reading thread to the compressing one at a time, as ingest hands its
/// records' bytes to the store's compressing worker.
const CHUNK_BYTES: u64 = 4 << 20;

pub fn floor(inputs: Vec<PathBuf>, out: &Path) -> anyhow::Result<()> {
    let (send, chunks) = sync_channel::<Vec<u8>>(1);
    let reader = std::thread::spawn(move || -> anyhow::Result<u64> {
        let mut total = 0;
        for input in &inputs {
            let file = File::open(input).with_context(|| format!("opening {}", input.display()))?;
            let mut plain = flate2::read::MultiGzDecoder::new(BufReader::new(file));
            loop {
                let mut chunk = Vec::with_capacity(CHUNK_BYTES as usize);
                let read = (&mut plain)
                    .take(CHUNK_BYTES)
                    .read_to_end(&mut chunk)
                    .with_context(|| format!("reading {}", input.display()))?;
                if read == 0 {
                    break;
                }
                total += read as u64;
                if send.send(chunk).is_err() {
                    // The compressing side stopped; its error is the one to report.
                    return Ok(total);
                }
            }
        }
        Ok(total)
    });
    let compressed = dialoog_store::compress_as_records(chunks, out);
    let read = match reader.join() {
        Ok(read) => read?,
        Err(_) => anyhow::bail!("the reading thread panicked"),
    };
    compressed?;
    let written = std::fs::metadata(out)
        .with_context(|| format!("reading the size of {}", out.display()))?
        .len();
    println!(
        "{read} bytes read, {written} bytes written to {}",
        out.display()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn the_floor_compresses_what_it_reads_into_a_readable_zstd_file() {
        let dir = tempfile::tempdir().unwrap();
        let lines: String = (0..2000)
            .map(|i| format!("{{\"id\":\"{i}\",\"text\":\"hallo gemeente {}\"}}\n", i % 7))
            .collect();
        let inputs: Vec<PathBuf> = (0..2)
            .map(|k| {
                let path = dir.path().join(format!("part{k}.jsonl.gz"));
                let mut gz = flate2::write::GzEncoder::new(
                    File::create(&path).unwrap(),
                    flate2::Compression::default(),
                );
                gz.write_all(lines.as_bytes()).unwrap();
                gz.finish().unwrap();
                path
            })
            .collect();
        let out = dir.path().join("floor.zst");
        floor(inputs, &out).unwrap();
        let back = zstd_decoded(&out);
        assert_eq!(back, lines.repeat(2).into_bytes());
    }

    fn zstd_decoded(path: &Path) -> Vec<u8> {
        let mut decoder = zstd::stream::read::Decoder::new(File::open(path).unwrap()).unwrap();
        // The records' window.
        decoder.window_log_max(27).unwrap();
        let mut back = Vec::new();
        decoder.read_to_end(&mut back).unwrap();
        back
    }
}

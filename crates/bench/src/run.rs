//! `dialoog-bench run`: for each size, generate the dataset (unless it exists), run Dialoog
//! (ingest, then factsheet) and each peer on it under `/usr/bin/time` (wall, CPU, peak RSS of the
//! child), check that every peer's measures equal Dialoog's, print the table and write
//! RESULTS.md. Any difference stops the run with the differences listed.

use crate::compare::Measures;
use crate::generate::{self, Dataset};
use anyhow::{Context as _, bail};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(clap::Args)]
pub struct Args {
    /// Sizes in posts, comma-separated.
    #[arg(long, default_value = "100k,1M", value_delimiter = ',', value_parser = crate::parse_size)]
    sizes: Vec<u64>,
    /// Peers to run, comma-separated (duckdb, polars, pandas).
    #[arg(long, default_value = "duckdb,polars,pandas", value_delimiter = ',')]
    peers: Vec<String>,
    /// Skip the pandas peer above this many posts (it holds everything in memory several times).
    #[arg(long, value_parser = crate::parse_size)]
    pandas_max: Option<u64>,
    /// Working folder for datasets, stores and outputs.
    #[arg(long, default_value = "bench/work")]
    work: PathBuf,
    /// Delete each dataset and store after its size is measured (for the multi-GB sizes).
    #[arg(long)]
    delete_after: bool,
    /// The dialoog binary (default: beside this one).
    #[arg(long)]
    dialoog: Option<PathBuf>,
    /// Python with duckdb, polars and pandas installed (bench/setup.sh makes it).
    #[arg(long, default_value_os_t = default_python())]
    python: PathBuf,
    /// Folder of the peer scripts.
    #[arg(long, default_value = "bench/peers")]
    peers_dir: PathBuf,
    /// Where to write the results (Markdown).
    #[arg(long, default_value = "bench/RESULTS.md")]
    results: PathBuf,
    #[arg(long, default_value_t = 20_260_302)]
    seed: u64,
}

fn default_python() -> PathBuf {
    let home = std::env::var_os("HOME").map_or_else(|| PathBuf::from("."), PathBuf::from);
    home.join(".cache/dialoog-bench/venv/bin/python")
}

/// What `/usr/bin/time` measured of one child process.
#[derive(Debug, Clone, Copy, Default)]
struct Usage {
    wall: f64,
    cpu: f64,
    /// Peak resident set, bytes.
    rss: u64,
}

impl Usage {
    /// Two steps one after the other: times add up, the peak is the larger.
    fn then(self, next: Usage) -> Usage {
        Usage {
            wall: self.wall + next.wall,
            cpu: self.cpu + next.cpu,
            rss: self.rss.max(next.rss),
        }
    }
}

/// Runs a command under `/usr/bin/time`; its stdout and stderr go to `log`.
fn timed(command: &mut Command, log: &Path, label: &str) -> anyhow::Result<Usage> {
    let usage_file = log.with_extension("time");
    let program = command.get_program().to_owned();
    let args: Vec<_> = command.get_args().map(ToOwned::to_owned).collect();
    let log_file =
        std::fs::File::create(log).with_context(|| format!("creating {}", log.display()))?;
    let status = Command::new("/usr/bin/time")
        .arg("-f")
        .arg("%e %U %S %M")
        .arg("-o")
        .arg(&usage_file)
        .arg(&program)
        .args(&args)
        .stdout(log_file.try_clone()?)
        .stderr(log_file)
        .status()
        .with_context(|| "running /usr/bin/time (install the 'time' package)".to_string())?;
    if !status.success() {
        let tail = std::fs::read_to_string(log).unwrap_or_default();
        let tail: Vec<&str> = tail.lines().rev().take(15).collect();
        bail!(
            "{label} failed ({status}); last lines of {}:\n{}",
            log.display(),
            tail.into_iter().rev().collect::<Vec<_>>().join("\n")
        );
    }
    let text = std::fs::read_to_string(&usage_file)?;
    let fields: Vec<f64> = text
        .lines()
        .last()
        .unwrap_or_default()
        .split_whitespace()
        .filter_map(|f| f.parse().ok())
        .collect();
    let [wall, user, system, rss_kb] = fields[..] else {
        bail!(
            "{}: unexpected /usr/bin/time output '{text}'",
            usage_file.display()
        );
    };
    Ok(Usage {
        wall,
        cpu: user + system,
        rss: (rss_kb * 1024.0) as u64,
    })
}

/// One tool at one size.
struct Row {
    size: u64,
    tool: String,
    usage: Usage,
}

/// One size: its dataset and Dialoog's store and factsheet-only time.
struct SizeNote {
    dataset: Dataset,
    store_bytes: u64,
    factsheet: Usage,
    ingest: Usage,
    /// `dialoog-bench floor` on the inputs ([`crate::floor`]).
    floor: Usage,
}

fn dir_bytes(path: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(path) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| match e.file_type() {
            Ok(t) if t.is_dir() => dir_bytes(&e.path()),
            _ => e.metadata().map_or(0, |m| m.len()),
        })
        .sum()
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let dialoog = match &args.dialoog {
        Some(path) => path.clone(),
        None => std::env::current_exe()?
            .parent()
            .context("no folder of this binary")?
            .join("dialoog"),
    };
    if !dialoog.exists() {
        bail!(
            "{} not found: build it first (cargo build --release -p dialoog)",
            dialoog.display()
        );
    }
    if !args.python.exists() {
        bail!(
            "{} not found: run bench/setup.sh first",
            args.python.display()
        );
    }
    let mut rows = Vec::new();
    let mut notes = Vec::new();
    let mut engines = std::collections::BTreeMap::new();
    for &size in &args.sizes {
        let dir = args.work.join(label(size));
        let data = dir.join("data");
        let dataset = match std::fs::read_to_string(data.join("dataset.json"))
            .ok()
            .and_then(|t| serde_json::from_str::<Dataset>(&t).ok())
            .filter(|d| d.seed == args.seed && d.posts == size)
        {
            Some(d) => d,
            None => {
                eprintln!("generating {} posts into {} …", label(size), data.display());
                generate::generate(size, args.seed, &data, &crate::default_nl_dir())?
            }
        };
        let inputs = [data.join(generate::TWEETS), data.join(generate::STATUSES)];

        let store = dir.join("store");
        let factsheet = dir.join("factsheet");
        let _ = std::fs::remove_dir_all(&store);
        let _ = std::fs::remove_dir_all(&factsheet);
        eprintln!("{}: dialoog ingest …", label(size));
        let ingest = timed(
            Command::new(&dialoog)
                .arg("ingest")
                .args(&inputs)
                .arg("--store")
                .arg(&store),
            &dir.join("dialoog-ingest.log"),
            "dialoog ingest",
        )?;
        eprintln!("{}: dialoog factsheet …", label(size));
        let sheet = timed(
            Command::new(&dialoog)
                .arg("factsheet")
                .arg("--store")
                .arg(&store)
                .arg("--case")
                .arg(data.join("case.toml"))
                .arg("--out")
                .arg(&factsheet),
            &dir.join("dialoog-factsheet.log"),
            "dialoog factsheet",
        )?;
        let ours = Measures::from_factsheet(&factsheet.join("factsheet.json"))?;
        eprintln!(
            "{}: the floor (gunzip + the records' compression) …",
            label(size)
        );
        let floor_out = dir.join("floor.zst");
        let floor = timed(
            Command::new(std::env::current_exe()?)
                .arg("floor")
                .args(&inputs)
                .arg("--out")
                .arg(&floor_out),
            &dir.join("floor.log"),
            "dialoog-bench floor",
        )?;
        std::fs::remove_file(&floor_out)
            .with_context(|| format!("removing {}", floor_out.display()))?;
        rows.push(Row {
            size,
            tool: "dialoog".into(),
            usage: ingest.then(sheet),
        });
        notes.push(SizeNote {
            store_bytes: dir_bytes(&store),
            dataset: dataset.clone(),
            factsheet: sheet,
            ingest,
            floor,
        });

        for peer in &args.peers {
            if peer == "pandas" && args.pandas_max.is_some_and(|max| size > max) {
                eprintln!("{}: pandas skipped (--pandas-max)", label(size));
                continue;
            }
            let script = args.peers_dir.join(format!("{peer}_peer.py"));
            let output = dir.join(format!("{peer}.json"));
            eprintln!("{}: {peer} …", label(size));
            let usage = timed(
                Command::new(&args.python)
                    .arg(&script)
                    .arg(&data)
                    .arg(&output),
                &dir.join(format!("{peer}.log")),
                peer,
            )?;
            let theirs = Measures::from_peer(&output)?;
            let differences = ours.differences(&theirs);
            if !differences.is_empty() {
                bail!(
                    "{peer} disagrees with Dialoog at {} posts:\n  {}",
                    label(size),
                    differences.join("\n  ")
                );
            }
            if let Some(engine) = std::fs::read_to_string(&output)
                .ok()
                .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
                .and_then(|v| v.get("engine").and_then(|e| e.as_str()).map(str::to_owned))
            {
                engines.insert(peer.clone(), engine);
            }
            rows.push(Row {
                size,
                tool: peer.clone(),
                usage,
            });
        }
        eprintln!("{}: all measures equal", label(size));
        if args.delete_after {
            std::fs::remove_dir_all(&data)?;
            std::fs::remove_dir_all(&store)?;
        }
    }
    let version = Command::new(&dialoog)
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    engines.insert("dialoog".into(), version);
    let report = render(&rows, &notes, &engines);
    println!("{report}");
    if let Some(folder) = args.results.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder)?;
    }
    std::fs::write(&args.results, report)
        .with_context(|| format!("writing {}", args.results.display()))?;
    eprintln!("wrote {}", args.results.display());
    Ok(())
}

fn label(size: u64) -> String {
    if size >= 1_000_000 && size.is_multiple_of(1_000_000) {
        format!("{}M", size / 1_000_000)
    } else if size >= 1_000 && size.is_multiple_of(1_000) {
        format!("{}k", size / 1_000)
    } else {
        size.to_string()
    }
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, m)| m.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("MemTotal"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .map_or_else(
            || "unknown".into(),
            |kb| format!("{:.1} GiB", kb as f64 / 1_048_576.0),
        );
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let kernel = Command::new("uname")
        .arg("-srm")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    format!("{cpu}, {cores} cores, {memory} RAM, {kernel}")
}

fn render(
    rows: &[Row],
    notes: &[SizeNote],
    engines: &std::collections::BTreeMap<String, String>,
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Benchmark results\n");
    let _ = writeln!(
        out,
        "Measured {} on {}.\n",
        chrono::Utc::now().format("%Y-%m-%d %H:%M UTC"),
        machine()
    );
    let versions: Vec<String> = engines.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    let _ = writeln!(out, "Versions: {}.\n", versions.join("; "));
    let _ = writeln!(
        out,
        "Every tool computes the same measures from the same files (posts per hour by role, \
         addressed, answered, reply rate, median and p90 response time, top 20 authors, government \
         replies, referrals, referral share); the run checked that all are equal. Dialoog's time \
         is `dialoog ingest` plus `dialoog factsheet` (the whole factsheet, not only these \
         measures). Wall and CPU seconds and peak RSS of the child process by `/usr/bin/time`; \
         MB/s over the uncompressed input; speed-up = the peer's wall time ÷ Dialoog's.\n"
    );
    let _ = writeln!(
        out,
        "| posts | tool | wall s | CPU s | peak RSS MiB | MB/s | posts/s | Dialoog speed-up |"
    );
    let _ = writeln!(out, "|---:|---|---:|---:|---:|---:|---:|---:|");
    for row in rows {
        let Some(note) = notes.iter().find(|n| n.dataset.posts == row.size) else {
            continue;
        };
        let ours = wall_of(rows, row.size, "dialoog").unwrap_or(f64::NAN);
        let speedup = if row.tool == "dialoog" {
            "—".to_owned()
        } else {
            format!("{:.1}×", row.usage.wall / ours)
        };
        let _ = writeln!(
            out,
            "| {} | {} | {:.2} | {:.2} | {:.0} | {:.1} | {:.0} | {} |",
            label(row.size),
            row.tool,
            row.usage.wall,
            row.usage.cpu,
            row.usage.rss as f64 / 1_048_576.0,
            mb(note.dataset.bytes) / row.usage.wall,
            note.dataset.posts as f64 / row.usage.wall,
            speedup
        );
    }
    let _ = writeln!(
        out,
        "\n| posts | input MB | gzipped MB | store MB | ingest wall s | ingest RSS MiB | factsheet from the store wall s | factsheet RSS MiB |"
    );
    let _ = writeln!(out, "|---:|---:|---:|---:|---:|---:|---:|---:|");
    for note in notes {
        let _ = writeln!(
            out,
            "| {} | {:.1} | {:.1} | {:.1} | {:.2} | {:.0} | {:.2} | {:.0} |",
            label(note.dataset.posts),
            mb(note.dataset.bytes),
            mb(note.dataset.gzip_bytes),
            mb(note.store_bytes),
            note.ingest.wall,
            note.ingest.rss as f64 / 1_048_576.0,
            note.factsheet.wall,
            note.factsheet.rss as f64 / 1_048_576.0
        );
    }
    let _ = writeln!(out, "\n## Against the targets of issue #5\n");
    let _ = writeln!(out, "| posts | target | measured | met |");
    let _ = writeln!(out, "|---:|---|---:|---|");
    let yes_no = |ok: bool| if ok { "yes" } else { "**no**" };
    for note in notes {
        let size = note.dataset.posts;
        let wall = |tool: &str| wall_of(rows, size, tool);
        let Some(ours) = wall("dialoog") else {
            continue;
        };
        for (peer, factor) in [("duckdb", 3.0), ("pandas", 30.0)] {
            if let Some(theirs) = wall(peer) {
                let speedup = theirs / ours;
                let _ = writeln!(
                    out,
                    "| {} | ≥ {factor:.0}× faster than {peer} | {speedup:.1}× (the floor allows {:.1}×) | {} |",
                    label(size),
                    theirs / least_wall(note),
                    yes_no(speedup >= factor)
                );
            }
        }
        let peak = note.ingest.rss.max(note.factsheet.rss);
        let _ = writeln!(
            out,
            "| {} | peak RSS < 1 GiB | {:.0} MiB | {} |",
            label(size),
            peak as f64 / 1_048_576.0,
            yes_no(peak < 1 << 30)
        );
        let _ = writeln!(
            out,
            "| {} | store ≤ gzipped input | {:.1} MB ≤ {:.1} MB | {} |",
            label(size),
            mb(note.store_bytes),
            mb(note.dataset.gzip_bytes),
            yes_no(note.store_bytes <= note.dataset.gzip_bytes)
        );
        if size >= 10_000_000 {
            let _ = writeln!(
                out,
                "| {} | ingest + factsheet < 60 s; factsheet from the store < 5 s | {:.0} s; {:.1} s | {} |",
                label(size),
                ours,
                note.factsheet.wall,
                yes_no(ours < 60.0 && note.factsheet.wall < 5.0)
            );
        }
    }
    render_floor(&mut out, rows, notes);
    out
}

/// One tool's wall time at one size, when it ran.
fn wall_of(rows: &[Row], size: u64, tool: &str) -> Option<f64> {
    rows.iter()
        .find(|r| r.size == size && r.tool == tool)
        .map(|r| r.usage.wall)
}

/// The cores the floor's CPU seconds are spread over.
fn cores() -> f64 {
    std::thread::available_parallelism().map_or(1, |n| n.get()) as f64
}

/// The least wall time of an ingest that keeps the original records: the floor's CPU seconds
/// spread over every core.
fn least_wall(note: &SizeNote) -> f64 {
    note.floor.cpu / cores()
}

fn render_floor(out: &mut String, rows: &[Row], notes: &[SizeNote]) {
    let _ = writeln!(out, "\n## The floor\n");
    let _ = writeln!(
        out,
        "An ingest that keeps the original records (issue #3; on in this benchmark, as issue #5 \
         asks) must at least gunzip the input and compress its bytes into the records file. \
         `dialoog-bench floor` does only that, with the store's own zstd stream and settings, \
         gunzip on one thread and compression on another as in ingest. Its CPU seconds spread \
         over the {:.0} cores are the least wall time of such an ingest even if parsing, storing \
         the posts and the whole factsheet took no time; a peer's wall time ÷ that least wall \
         time is the largest speed-up Dialoog could show against it.\n",
        cores()
    );
    let peers: Vec<&str> = ["duckdb", "polars", "pandas"]
        .into_iter()
        .filter(|peer| rows.iter().any(|r| r.tool == *peer))
        .collect();
    let mut header = String::from(
        "| posts | floor wall s | floor CPU s | least wall s | Dialoog wall s | Dialoog ÷ least |",
    );
    let mut rule = String::from("|---:|---:|---:|---:|---:|---:|");
    for peer in &peers {
        let _ = write!(header, " most speed-up vs {peer} |");
        rule.push_str("---:|");
    }
    let _ = writeln!(out, "{header}\n{rule}");
    for note in notes {
        let size = note.dataset.posts;
        let wall = |tool: &str| wall_of(rows, size, tool);
        let least = least_wall(note);
        let ours = wall("dialoog").unwrap_or(f64::NAN);
        let _ = write!(
            out,
            "| {} | {:.2} | {:.2} | {least:.2} | {ours:.2} | {:.1} |",
            label(size),
            note.floor.wall,
            note.floor.cpu,
            ours / least
        );
        for peer in &peers {
            match wall(peer) {
                Some(theirs) => {
                    let _ = write!(out, " {:.1}× |", theirs / least);
                }
                None => out.push_str(" — |"),
            }
        }
        out.push('\n');
    }
}

//! The deterministic generator of realistic exports: a three-day case around an event, as X/Twitter
//! API v2 lines flattened by twarc2 (`tweets.jsonl.gz`) and Mastodon API statuses as JSON lines
//! (`statuses.jsonl.gz`, both gzipped as collections are kept), with the registry, the case file and the referral rules beside them.
//!
//! Shape: authors drawn Zipf–Mandelbrot-distributed (a few citizens post a lot), 40 government accounts,
//! politicians and media; conversations in which citizens address government accounts (by
//! mention or by replying), government accounts answer some after a log-normal delay and the
//! conversation goes on (reply trees several levels deep, a few viral threads with hundreds of
//! replies); reshares and quotes; replies to posts outside the collection; a daily rhythm and a
//! burst after the event. The same seed and size give the same bytes.

use crate::texts::Pools;
use anyhow::Context as _;
use chrono::{DateTime, SecondsFormat, TimeZone, Utc};
use dialoog_model::Mode;
use flate2::{Compression, write::GzEncoder};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

/// The case starts Monday 2 March 2026, 00:00 UTC, and lasts just under three days, so the
/// factsheet buckets activity by the hour.
const START_MS: i64 = 1_772_409_600_000;
const WINDOW_MS: i64 = 71 * 3_600_000;
/// Conversations start in the first 60 hours; what they would say after the window is not said.
const ROOT_HOURS: usize = 60;
/// The event: hour 30 (Tuesday 06:00 UTC); activity is five times the usual for 4 hours, then
/// twice for 6.
const EVENT_HOUR: usize = 30;

/// Relative activity per hour of the day (UTC ≈ Dutch time minus one): quiet nights, a morning
/// rise and an evening peak.
const RHYTHM: [f64; 24] = [
    0.35, 0.2, 0.12, 0.08, 0.08, 0.15, 0.45, 0.75, 0.95, 1.0, 1.0, 1.05, 1.1, 1.0, 0.95, 0.95, 1.0,
    1.1, 1.2, 1.3, 1.25, 1.0, 0.75, 0.5,
];

/// The export files, gzipped as collections are usually kept (all tools read them so).
pub const TWEETS: &str = "tweets.jsonl.gz";
pub const STATUSES: &str = "statuses.jsonl.gz";

/// What a generated dataset holds; written to `dataset.json` beside the files.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Dataset {
    pub posts: u64,
    pub seed: u64,
    pub tweets: u64,
    pub statuses: u64,
    /// Bytes of the two export files uncompressed.
    pub bytes: u64,
    /// Bytes of the two files as written (gzip level 6), the yardstick for the store's size.
    pub gzip_bytes: u64,
    /// Whether Dutch texts from ../shared/data/nl were available.
    pub dutch_samples: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Platform {
    Twitter,
    Mastodon,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Government,
    Politician,
    Media,
    Citizen,
}

impl Role {
    fn as_str(self) -> &'static str {
        match self {
            Role::Government => "government",
            Role::Politician => "politician",
            Role::Media => "media",
            Role::Citizen => "citizen",
        }
    }
}

struct Account {
    id: String,
    handle: String,
    name: String,
    followers: u64,
    role: Role,
    organisation: String,
}

const CITIES: &[&str] = &[
    "Amsterdam",
    "Rotterdam",
    "DenHaag",
    "Utrecht",
    "Eindhoven",
    "Groningen",
    "Tilburg",
    "Almere",
    "Breda",
    "Nijmegen",
    "Arnhem",
    "Haarlem",
    "Enschede",
    "Apeldoorn",
    "Amersfoort",
    "Zwolle",
    "Leiden",
    "Maastricht",
    "Dordrecht",
    "Delft",
];
const AGENCIES: &[&str] = &[
    "Belastingdienst",
    "Rijkswaterstaat",
    "Politie",
    "MinJenV",
    "RIVM",
    "UWV",
    "DUO",
    "KNMI",
    "NCTV",
    "Rijksoverheid",
];
const FIRST: &[&str] = &[
    "jan", "sanne", "pieter", "fleur", "daan", "emma", "bram", "lotte", "joris", "anouk", "ruben",
    "iris", "thijs", "noor", "sem", "julia", "lars", "eva", "tim", "lisa", "mo", "fatima", "kees",
    "annemiek",
];
const LAST: &[&str] = &[
    "devries", "jansen", "bakker", "visser", "smit", "meijer", "mulder", "bos", "vos", "peters",
    "hendriks", "dekker", "dijkstra", "yilmaz", "elamrani", "kok",
];
const INSTANCES: &[&str] = &[
    "mastodon.social",
    "mastodon.nl",
    "mstdn.social",
    "toot.community",
];
/// The Mastodon instance the statuses were collected from; its accounts have local accts.
const HOME: &str = "social.overheid.nl";

/// Accounts of one platform: government, politicians and media first, then citizens, with the
/// cumulative Zipf weights of the citizens.
struct Population {
    platform: Platform,
    accounts: Vec<Account>,
    government: Vec<usize>,
    politicians: Vec<usize>,
    media: Vec<usize>,
    citizens_from: usize,
    citizen_cdf: Vec<f64>,
    government_cdf: Vec<f64>,
}

/// Cumulative Zipf–Mandelbrot weights 1 / (k + offset)^exponent, k = 1..=n.
fn cdf(n: usize, exponent: f64, offset: f64) -> Vec<f64> {
    let mut total = 0.0;
    (1..=n)
        .map(|k| {
            total += 1.0 / (k as f64 + offset).powf(exponent);
            total
        })
        .collect()
}

fn pick(cdf: &[f64], rng: &mut ChaCha8Rng) -> usize {
    let total = cdf.last().copied().unwrap_or(0.0);
    let u = rng.random::<f64>() * total;
    cdf.partition_point(|&c| c <= u)
        .min(cdf.len().saturating_sub(1))
}

impl Population {
    fn new(platform: Platform, citizens: usize, rng: &mut ChaCha8Rng) -> Population {
        let mut accounts = Vec::new();
        let (id_base, prefix): (u64, &str) = match platform {
            Platform::Twitter => (1_000_000, ""),
            Platform::Mastodon => (109_000_000_000_000, ""),
        };
        let mut push = |handle: String,
                        name: String,
                        role: Role,
                        organisation: String,
                        rng: &mut ChaCha8Rng| {
            let followers = match role {
                Role::Citizen => (rng.random::<f64>().powi(3) * 5_000.0) as u64,
                _ => 5_000 + (rng.random::<f64>() * 500_000.0) as u64,
            };
            let index = accounts.len();
            accounts.push(Account {
                id: format!("{prefix}{}", id_base + index as u64 * 7 + 3),
                handle,
                name,
                followers,
                role,
                organisation,
            });
            index
        };
        let (cities, agencies, politicians, media) = match platform {
            Platform::Twitter => (20, 10, 20, 10),
            Platform::Mastodon => (6, 4, 5, 3),
        };
        let mut government = Vec::new();
        for city in &CITIES[..cities] {
            let handle = match platform {
                Platform::Twitter => format!("Gemeente{city}"),
                Platform::Mastodon => format!("gemeente{}", city.to_lowercase()),
            };
            government.push(push(
                handle,
                format!("Gemeente {city}"),
                Role::Government,
                format!("Gemeente {city}"),
                rng,
            ));
        }
        for agency in &AGENCIES[..agencies] {
            let handle = match platform {
                Platform::Twitter => agency.to_string(),
                Platform::Mastodon => agency.to_lowercase(),
            };
            government.push(push(
                handle,
                agency.to_string(),
                Role::Government,
                agency.to_string(),
                rng,
            ));
        }
        let politicians: Vec<usize> = (0..politicians)
            .map(|k| {
                let handle = format!("{}{}_tk", FIRST[k % FIRST.len()], LAST[k % LAST.len()]);
                push(
                    handle.clone(),
                    handle,
                    Role::Politician,
                    "Tweede Kamer".into(),
                    rng,
                )
            })
            .collect();
        let media: Vec<usize> = (0..media)
            .map(|k| {
                let handle = format!("nieuws_{}", CITIES[k % CITIES.len()].to_lowercase());
                push(handle.clone(), handle, Role::Media, "media".into(), rng)
            })
            .collect();
        for k in 0..citizens {
            let first = FIRST[k % FIRST.len()];
            let last = LAST[(k / FIRST.len()) % LAST.len()];
            let handle = match platform {
                Platform::Twitter => format!("{first}_{last}{k}"),
                Platform::Mastodon => format!("{first}{k}@{}", INSTANCES[k % INSTANCES.len()]),
            };
            push(
                handle,
                format!("{first} {last}"),
                Role::Citizen,
                String::new(),
                rng,
            );
        }
        let citizens_from = 1 + media.last().copied().unwrap_or(0);
        Population {
            platform,
            accounts,
            government_cdf: cdf(government.len(), 1.0, 0.0),
            government,
            politicians,
            media,
            citizen_cdf: cdf(citizens, 1.0, 10.0),
            citizens_from,
        }
    }

    fn citizen(&self, rng: &mut ChaCha8Rng) -> usize {
        self.citizens_from + pick(&self.citizen_cdf, rng)
    }

    fn government(&self, rng: &mut ChaCha8Rng) -> usize {
        self.government[pick(&self.government_cdf, rng)]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Post,
    Reply,
    Reshare,
    Quote,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lang {
    Nl,
    En,
}

/// Whom a reply answers: a post of the thread, or a post outside the collection (its id and
/// author).
#[derive(Debug, Clone, Copy)]
enum Parent {
    Post(usize),
    Outside(usize),
}

struct GenPost {
    id: String,
    at_ms: i64,
    author: usize,
    kind: Kind,
    /// Reply parent (kind Reply) and its author when known.
    parent: Option<(String, Option<usize>)>,
    /// The reshared or quoted post (an index into the thread).
    target: Option<usize>,
    mentions: Vec<usize>,
    text: String,
    lang: Lang,
    likes: u64,
    reshares: u64,
    replies: u64,
}

/// The writers of one dataset: both files, gzipped.
struct Out {
    tweets: GzEncoder<BufWriter<File>>,
    statuses: GzEncoder<BufWriter<File>>,
    bytes: u64,
    tweet_count: u64,
    status_count: u64,
    limit: u64,
    next_id: u64,
}

impl Out {
    fn full(&self) -> bool {
        self.tweet_count + self.status_count >= self.limit
    }

    fn line(&mut self, platform: Platform, value: &Value) -> anyhow::Result<()> {
        let mut line = serde_json::to_vec(value)?;
        line.push(b'\n');
        match platform {
            Platform::Twitter => {
                self.tweets.write_all(&line)?;
                self.tweet_count += 1;
            }
            Platform::Mastodon => {
                self.statuses.write_all(&line)?;
                self.status_count += 1;
            }
        }
        self.bytes += line.len() as u64;
        Ok(())
    }

    fn id(&mut self, platform: Platform) -> String {
        self.next_id += 1;
        match platform {
            Platform::Twitter => (1_764_000_000_000_000_000 + self.next_id * 4_096).to_string(),
            Platform::Mastodon => (110_000_000_000_000_000 + self.next_id * 64).to_string(),
        }
    }
}

fn rfc3339(ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// A standard normal draw (Box–Muller).
fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let u: f64 = rng.random::<f64>().max(f64::MIN_POSITIVE);
    let v: f64 = rng.random();
    (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
}

/// A log-normal delay in milliseconds with the given median (minutes) and spread.
fn delay(rng: &mut ChaCha8Rng, median_minutes: f64, sigma: f64) -> i64 {
    let minutes = median_minutes * (sigma * normal(rng)).exp();
    (minutes * 60_000.0) as i64 + rng.random_range(0..1000)
}

/// A count with the given mean, geometric.
fn geometric(rng: &mut ChaCha8Rng, mean: f64) -> usize {
    let p = 1.0 / (1.0 + mean);
    let mut n = 0;
    while rng.random::<f64>() > p && n < 10_000 {
        n += 1;
    }
    n
}

/// Generates `posts` posts with `seed` into `dir`.
pub fn generate(posts: u64, seed: u64, dir: &Path, nl_dir: &Path) -> anyhow::Result<Dataset> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let pools = Pools::load(nl_dir)?;
    let dutch = !pools.citizen_nl.is_empty();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let citizens = |share: f64, floor: usize| ((posts as f64 * share / 6.0) as usize).max(floor);
    let twitter = Population::new(Platform::Twitter, citizens(0.7, 1_000), &mut rng);
    let mastodon = Population::new(Platform::Mastodon, citizens(0.3, 300), &mut rng);
    write_registry(&dir.join("registry.csv"), &[&twitter, &mastodon])?;
    write_case(&dir.join("case.toml"))?;
    write_rules(&dir.join("rules.json"))?;

    let create = |name: &str| -> anyhow::Result<GzEncoder<BufWriter<File>>> {
        let path = dir.join(name);
        let file = File::create(&path).with_context(|| format!("creating {}", path.display()))?;
        Ok(GzEncoder::new(
            BufWriter::with_capacity(1 << 20, file),
            Compression::default(),
        ))
    };
    let mut out = Out {
        tweets: create(TWEETS)?,
        statuses: create(STATUSES)?,
        bytes: 0,
        tweet_count: 0,
        status_count: 0,
        limit: posts,
        next_id: 0,
    };
    let hours: Vec<f64> = (0..ROOT_HOURS)
        .map(|h| {
            let burst = match h.checked_sub(EVENT_HOUR) {
                Some(0..4) => 5.0,
                Some(4..10) => 2.0,
                _ => 1.0,
            };
            RHYTHM[h % 24] * burst
        })
        .collect();
    let hour_cdf: Vec<f64> = hours
        .iter()
        .scan(0.0, |total, w| {
            *total += w;
            Some(*total)
        })
        .collect();
    while !out.full() {
        let population = if rng.random::<f64>() < 0.7 {
            &twitter
        } else {
            &mastodon
        };
        let lang = if dutch && rng.random::<f64>() < 0.55 {
            Lang::Nl
        } else {
            Lang::En
        };
        let hour = pick(&hour_cdf, &mut rng) as i64;
        let at = START_MS + hour * 3_600_000 + rng.random_range(0..3_600_000);
        let mut thread = Thread {
            population,
            pools: &pools,
            lang,
            posts: Vec::new(),
        };
        thread.conversation(at, &mut rng, &mut out)?;
    }
    out.tweets.finish()?.flush()?;
    out.statuses.finish()?.flush()?;
    let gzip_bytes = [TWEETS, STATUSES]
        .iter()
        .map(|name| std::fs::metadata(dir.join(name)).map(|m| m.len()))
        .sum::<std::io::Result<u64>>()?;
    let dataset = Dataset {
        posts: out.tweet_count + out.status_count,
        seed,
        tweets: out.tweet_count,
        statuses: out.status_count,
        bytes: out.bytes,
        gzip_bytes,
        dutch_samples: dutch,
    };
    std::fs::write(
        dir.join("dataset.json"),
        serde_json::to_string_pretty(&dataset)?,
    )?;
    Ok(dataset)
}

/// One conversation being generated.
struct Thread<'a> {
    population: &'a Population,
    pools: &'a Pools,
    lang: Lang,
    posts: Vec<GenPost>,
}

impl Thread<'_> {
    fn text(&self, role: Role, rng: &mut ChaCha8Rng) -> String {
        let pool = match (self.lang, role) {
            (Lang::Nl, Role::Government) => &self.pools.government_nl,
            (Lang::Nl, _) => &self.pools.citizen_nl,
            (Lang::En, Role::Government) => &self.pools.government_en,
            (Lang::En, _) => &self.pools.citizen_en,
        };
        pool.get(rng.random_range(0..pool.len().max(1)))
            .cloned()
            .unwrap_or_default()
    }

    fn role(&self, author: usize) -> Role {
        self.population.accounts[author].role
    }

    /// Adds a post unless it falls after the window or the dataset is full; its index.
    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        out: &mut Out,
        rng: &mut ChaCha8Rng,
        at_ms: i64,
        author: usize,
        kind: Kind,
        parent: Option<Parent>,
        target: Option<usize>,
        mut mentions: Vec<usize>,
    ) -> anyhow::Result<Option<usize>> {
        if at_ms >= START_MS + WINDOW_MS || out.full() {
            return Ok(None);
        }
        let parent = parent.map(|p| match p {
            Parent::Post(p) => (self.posts[p].id.clone(), Some(self.posts[p].author)),
            Parent::Outside(author) => (out.id(self.population.platform), Some(author)),
        });
        if let Some((_, Some(parent_author))) = &parent {
            // A reply names whom it answers first, as both platforms do.
            mentions.insert(0, *parent_author);
        }
        if let Some(t) = target.filter(|_| kind == Kind::Reshare) {
            mentions = vec![self.posts[t].author];
        }
        mentions.dedup();
        let text = if kind == Kind::Reshare {
            String::new()
        } else {
            self.text(self.role(author), rng)
        };
        let popular = if self.role(author) == Role::Citizen {
            3.0
        } else {
            40.0
        };
        let post = GenPost {
            id: out.id(self.population.platform),
            at_ms,
            author,
            kind,
            parent,
            target,
            mentions,
            text,
            lang: self.lang,
            likes: geometric(rng, popular) as u64,
            reshares: geometric(rng, popular / 10.0) as u64,
            replies: geometric(rng, 1.0) as u64,
        };
        let value = match self.population.platform {
            Platform::Twitter => self.tweet(&post),
            Platform::Mastodon => self.status(&post),
        };
        out.line(self.population.platform, &value)?;
        self.posts.push(post);
        Ok(Some(self.posts.len() - 1))
    }

    /// A root post and everything that follows it.
    fn conversation(&mut self, at: i64, rng: &mut ChaCha8Rng, out: &mut Out) -> anyhow::Result<()> {
        let p = self.population;
        let draw: f64 = rng.random();
        let author = if draw < 0.06 {
            p.government(rng)
        } else if draw < 0.08 {
            p.politicians[rng.random_range(0..p.politicians.len())]
        } else if draw < 0.10 {
            p.media[rng.random_range(0..p.media.len())]
        } else {
            p.citizen(rng)
        };
        let citizen = self.role(author) == Role::Citizen;
        let addressed_to = (citizen && rng.random::<f64>() < 0.4).then(|| p.government(rng));
        let mentions: Vec<usize> = addressed_to.into_iter().collect();
        // A reply to a post outside the collection (the thread's start was not collected), to
        // the government account it addresses or to another citizen.
        let kind = if citizen && rng.random::<f64>() < 0.03 {
            Kind::Reply
        } else {
            Kind::Post
        };
        let outside = (kind == Kind::Reply)
            .then(|| Parent::Outside(addressed_to.unwrap_or_else(|| p.citizen(rng))));
        let Some(root) = self.add(out, rng, at, author, kind, outside, None, mentions)? else {
            return Ok(());
        };
        if let Some(government) = addressed_to {
            self.exchange(root, government, rng, out)?;
        }
        if self.role(author) == Role::Government {
            // Citizens reply to a government post: each reply is addressed to it.
            for _ in 0..geometric(rng, 3.0) {
                let who = p.citizen(rng);
                let when = at + delay(rng, 25.0, 1.2);
                if let Some(reply) = self.add(
                    out,
                    rng,
                    when,
                    who,
                    Kind::Reply,
                    Some(Parent::Post(root)),
                    None,
                    vec![],
                )? && rng.random::<f64>() < 0.35
                {
                    self.answer(reply, author, rng, out)?;
                }
            }
        }
        // The public joins in: most posts get nothing, some a few replies, a few go viral.
        let draw: f64 = rng.random();
        let replies = if draw < 0.55 {
            0
        } else if draw < 0.995 {
            1 + geometric(rng, 1.5)
        } else {
            rng.random_range(50..400)
        };
        for _ in 0..replies {
            let parent = if rng.random::<f64>() < 0.5 {
                self.posts.len() - 1
            } else {
                rng.random_range(0..self.posts.len())
            };
            let who = p.citizen(rng);
            let when = self.posts[parent].at_ms + delay(rng, 15.0, 1.3);
            let tag = addressed_to.filter(|_| rng.random::<f64>() < 0.25);
            let added = self.add(
                out,
                rng,
                when,
                who,
                Kind::Reply,
                Some(Parent::Post(parent)),
                None,
                tag.into_iter().collect(),
            )?;
            if let (Some(reply), Some(government)) = (added, tag)
                && rng.random::<f64>() < 0.4
            {
                self.answer(reply, government, rng, out)?;
            }
        }
        // Reshares and quotes of what was said.
        for index in 0..self.posts.len() {
            if self.posts[index].kind == Kind::Reshare {
                continue;
            }
            let government = self.role(self.posts[index].author) == Role::Government;
            let (chance, mean) = if government { (0.5, 4.0) } else { (0.08, 1.0) };
            if rng.random::<f64>() < chance {
                for _ in 0..1 + geometric(rng, mean) {
                    let who = p.citizen(rng);
                    let when = self.posts[index].at_ms + delay(rng, 30.0, 1.5);
                    self.add(
                        out,
                        rng,
                        when,
                        who,
                        Kind::Reshare,
                        None,
                        Some(index),
                        vec![],
                    )?;
                }
            }
            if rng.random::<f64>() < 0.02 {
                let who = p.citizen(rng);
                let when = self.posts[index].at_ms + delay(rng, 40.0, 1.5);
                self.add(out, rng, when, who, Kind::Quote, None, Some(index), vec![])?;
            }
        }
        Ok(())
    }

    /// A citizen's post addressed to `government`: maybe answered, and then maybe a back and forth.
    fn exchange(
        &mut self,
        post: usize,
        government: usize,
        rng: &mut ChaCha8Rng,
        out: &mut Out,
    ) -> anyhow::Result<()> {
        let mut asking = post;
        for round in 0..6 {
            let chance = if round == 0 { 0.6 } else { 0.5 };
            if rng.random::<f64>() >= chance {
                return Ok(());
            }
            let Some(answer) = self.answer(asking, government, rng, out)? else {
                return Ok(());
            };
            if rng.random::<f64>() >= 0.45 {
                return Ok(());
            }
            let who = self.posts[post].author;
            let when = self.posts[answer].at_ms + delay(rng, 10.0, 1.0);
            match self.add(
                out,
                rng,
                when,
                who,
                Kind::Reply,
                Some(Parent::Post(answer)),
                None,
                vec![],
            )? {
                Some(next) => asking = next,
                None => return Ok(()),
            }
        }
        Ok(())
    }

    /// `government` replies to post `to`, usually within the hour, sometimes the next day.
    fn answer(
        &mut self,
        to: usize,
        government: usize,
        rng: &mut ChaCha8Rng,
        out: &mut Out,
    ) -> anyhow::Result<Option<usize>> {
        let when = self.posts[to].at_ms + delay(rng, 45.0, 1.4);
        self.add(
            out,
            rng,
            when,
            government,
            Kind::Reply,
            Some(Parent::Post(to)),
            None,
            vec![],
        )
    }

    fn account(&self, index: usize) -> &Account {
        &self.population.accounts[index]
    }

    fn tweet(&self, post: &GenPost) -> Value {
        let author = self.account(post.author);
        let mut text = String::new();
        let mut mentions = Vec::new();
        if post.kind == Kind::Reshare {
            text.push_str("RT ");
        }
        for &m in &post.mentions {
            let handle = &self.account(m).handle;
            let start = text.chars().count();
            text.push('@');
            text.push_str(handle);
            mentions.push(json!({"start": start, "end": start + 1 + handle.chars().count(), "username": handle, "id": self.account(m).id}));
            text.push(' ');
        }
        let mut referenced = Vec::new();
        if let Some((id, _)) = &post.parent {
            referenced.push(json!({"type": "replied_to", "id": id}));
        }
        if let Some(t) = post.target {
            let kind = if post.kind == Kind::Reshare {
                "retweeted"
            } else {
                "quoted"
            };
            referenced.push(json!({"type": kind, "id": self.posts[t].id}));
            if post.kind == Kind::Reshare {
                text.pop();
                text.push_str(": ");
                text.push_str(&self.posts[t].text);
            }
        }
        text.push_str(&post.text);
        let mut tweet = json!({
            "id": post.id,
            "edit_history_tweet_ids": [post.id],
            "conversation_id": self.posts.first().map_or(&post.id, |p| &p.id),
            "author_id": author.id,
            "created_at": rfc3339(post.at_ms),
            "text": text,
            "lang": match post.lang { Lang::Nl => "nl", Lang::En => "en" },
            "possibly_sensitive": false,
            "reply_settings": "everyone",
            "public_metrics": {
                "retweet_count": post.reshares, "reply_count": post.replies,
                "like_count": post.likes, "quote_count": 0, "impression_count": post.likes * 37 + 12,
            },
            "entities": {"mentions": mentions},
            "author": {
                "id": author.id, "username": author.handle, "name": author.name,
                "verified": author.role != Role::Citizen,
                "public_metrics": {"followers_count": author.followers, "following_count": 120, "tweet_count": 4_321},
            },
            "__twarc": {"url": "https://api.twitter.com/2/tweets/search/all", "version": "2.14.0", "retrieved_at": "2026-03-06T09:00:00+00:00"},
        });
        if !referenced.is_empty() {
            tweet["referenced_tweets"] = Value::Array(referenced);
        }
        if let Some((_, parent_author)) = &post.parent {
            let parent_id =
                parent_author.map_or_else(|| "42".to_owned(), |a| self.account(a).id.clone());
            tweet["in_reply_to_user_id"] = json!(parent_id);
        }
        tweet
    }

    fn status(&self, post: &GenPost) -> Value {
        let author = self.account(post.author);
        let account_json = |a: &Account| {
            let url = account_url(&a.handle);
            json!({
                "id": a.id, "username": a.handle.split('@').next().unwrap_or_default(), "acct": a.handle,
                "display_name": a.name, "locked": false, "bot": false, "url": url,
                "followers_count": a.followers, "following_count": 80, "statuses_count": 900,
            })
        };
        let url = format!("{}/{}", account_url(&author.handle), post.id);
        let mut status = json!({
            "id": post.id,
            "created_at": rfc3339(post.at_ms),
            "in_reply_to_id": null,
            "in_reply_to_account_id": null,
            "sensitive": false,
            "spoiler_text": "",
            "visibility": "public",
            "language": match post.lang { Lang::Nl => "nl", Lang::En => "en" },
            "uri": format!("https://{HOME}/users/{}/statuses/{}", author.handle, post.id),
            "url": url,
            "replies_count": post.replies,
            "reblogs_count": post.reshares,
            "favourites_count": post.likes,
            "content": "",
            "reblog": null,
            "account": account_json(author),
            "media_attachments": [],
            "mentions": [],
            "tags": [],
            "emojis": [],
            "card": null,
            "poll": null,
        });
        if post.kind == Kind::Reshare {
            if let Some(t) = post.target {
                status["reblog"] = self.status(&self.posts[t]);
                status["language"] = Value::Null;
                status["url"] = Value::Null;
                status["uri"] = json!(format!(
                    "https://{HOME}/users/{}/statuses/{}/activity",
                    author.handle, post.id
                ));
            }
            return status;
        }
        if let Some((id, parent_author)) = &post.parent {
            status["in_reply_to_id"] = json!(id);
            status["in_reply_to_account_id"] = json!(
                parent_author.map_or_else(|| "42".to_owned(), |a| self.account(a).id.clone())
            );
        }
        let mut content = String::from("<p>");
        let mut mentions = Vec::new();
        for &m in &post.mentions {
            let a = self.account(m);
            let url = account_url(&a.handle);
            let user = a.handle.split('@').next().unwrap_or_default();
            content.push_str(&format!(
                "<span class=\"h-card\"><a href=\"{url}\" class=\"u-url mention\">@<span>{user}</span></a></span> "
            ));
            mentions.push(json!({"id": a.id, "username": user, "url": url, "acct": a.handle}));
        }
        content.push_str(&post.text);
        content.push_str("</p>");
        status["content"] = json!(content);
        status["mentions"] = Value::Array(mentions);
        if let Some(t) = post.target {
            status["quote"] =
                json!({"state": "accepted", "quoted_status": self.status(&self.posts[t])});
        }
        status
    }
}

fn account_url(acct: &str) -> String {
    match acct.split_once('@') {
        Some((user, host)) => format!("https://{host}/@{user}"),
        None => format!("https://{HOME}/@{acct}"),
    }
}

fn write_registry(path: &Path, populations: &[&Population]) -> anyhow::Result<()> {
    let mut out =
        BufWriter::new(File::create(path).with_context(|| format!("creating {}", path.display()))?);
    writeln!(out, "platform,handle,id,role,organisation,level")?;
    for population in populations {
        let platform = match population.platform {
            Platform::Twitter => "twitter",
            Platform::Mastodon => "mastodon",
        };
        for account in &population.accounts[..population.citizens_from] {
            let level = match account.role {
                Role::Government if account.organisation.starts_with("Gemeente") => "municipality",
                Role::Government => "agency",
                Role::Politician => "national",
                _ => "",
            };
            writeln!(
                out,
                "{platform},{},{},{},{},{level}",
                account.handle,
                account.id,
                account.role.as_str(),
                account.organisation
            )?;
        }
    }
    out.flush()?;
    Ok(())
}

fn write_case(path: &Path) -> anyhow::Result<()> {
    let event = Utc
        .timestamp_millis_opt(START_MS + EVENT_HOUR as i64 * 3_600_000)
        .single()
        .map(|t| t.to_rfc3339())
        .unwrap_or_default();
    let case = format!(
        r#"# Generated by dialoog-bench: a three-day case around an event, on X/Twitter and Mastodon.
title = "Benchmark case: three days around a storm"
description = "Synthetic posts generated by dialoog-bench from real texts (the webcare sample; Dutch political tweets when present)."
registry = "registry.csv"
focus_roles = ["government"]
time_zone = "Europe/Amsterdam"
start = "2026-03-02"
end = "2026-03-05"
source = "dialoog-bench generator"

[[event]]
at = "{event}"
label = "Storm warning"
"#
    );
    std::fs::write(path, case).with_context(|| format!("writing {}", path.display()))
}

/// The referral rules exactly as `dialoog_text::classify` compiles them, for the peers.
fn write_rules(path: &Path) -> anyhow::Result<()> {
    let referral: Vec<Value> = dialoog_text::rules()
        .iter()
        .filter(|r| r.mode == Mode::Referral)
        .map(|r| {
            json!({"id": r.id, "language": r.language, "raw": r.raw, "pattern": dialoog_text::compiled_pattern(r.pattern)})
        })
        .collect();
    let rules = json!({
        "url": dialoog_text::compiled_pattern(dialoog_text::URL_PATTERN),
        "url_replacement": " urlx ",
        "mention": dialoog_text::compiled_pattern(dialoog_text::MENTION_PATTERN),
        "referral": referral,
    });
    std::fs::write(path, serde_json::to_string_pretty(&rules)?)
        .with_context(|| format!("writing {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::read::GzDecoder;
    use std::io::Read;

    fn lines(path: &Path) -> Vec<Value> {
        let mut text = String::new();
        GzDecoder::new(File::open(path).unwrap())
            .read_to_string(&mut text)
            .unwrap();
        text.lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    #[test]
    fn same_seed_same_bytes_and_every_reply_parent_is_known_or_outside() {
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let english_only = Path::new("/nonexistent");
        let first = generate(3_000, 7, a.path(), english_only).unwrap();
        generate(3_000, 7, b.path(), english_only).unwrap();
        for name in [TWEETS, STATUSES, "registry.csv", "case.toml", "rules.json"] {
            assert_eq!(
                std::fs::read(a.path().join(name)).unwrap(),
                std::fs::read(b.path().join(name)).unwrap(),
                "{name}"
            );
        }
        assert_eq!(first.posts, 3_000);
        assert!(!first.dutch_samples);
        let tweets = lines(&a.path().join(TWEETS));
        let statuses = lines(&a.path().join(STATUSES));
        assert_eq!((tweets.len() + statuses.len()) as u64, first.posts);
        let ids: std::collections::HashSet<&str> =
            tweets.iter().filter_map(|t| t["id"].as_str()).collect();
        let parents: Vec<&str> = tweets
            .iter()
            .flat_map(|t| t["referenced_tweets"].as_array().into_iter().flatten())
            .filter(|r| r["type"] == "replied_to")
            .filter_map(|r| r["id"].as_str())
            .collect();
        let known = parents.iter().filter(|p| ids.contains(*p)).count();
        assert!(parents.len() > 300, "replies: {}", parents.len());
        assert!(
            known * 100 > parents.len() * 90,
            "{known} of {}",
            parents.len()
        );
        assert!(
            known < parents.len(),
            "some replies answer posts outside the collection"
        );
    }
}

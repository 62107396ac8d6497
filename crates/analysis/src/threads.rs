//! Reply trees: posts indexed by (platform, id), each post's parent (via `in_reply_to_id`, when
//! the parent is in the data) and children, descendants, and a bottom-up order for folding values
//! from the leaves to the roots in linear time. Dirty data may hold reply cycles (a → b → a);
//! they are detected and reported instead of looping. The same index resolves each post's
//! reshared and quoted post, so no section builds another index over the posts' ids.

use dialoog_model::{Platform, PostRef};
use foldhash::fast::FixedState;
use hashbrown::HashTable;
use hashbrown::hash_table::Entry;
use rayon::prelude::*;
use std::hash::BuildHasher;

/// The reply forest over a slice of posts (indexes refer to that slice). Indexes are held as
/// `u32`, a quarter of `Option<usize>`'s 16 bytes a post: four billion posts would not fit in
/// memory as columns either.
#[derive(Debug, Clone, Default)]
pub struct Threads {
    /// Each post's parent, or [`NO_PARENT`].
    parent: Vec<u32>,
    /// Each post's direct replies, in input order.
    children: Grouped,
    /// Each post's reshared and quoted post when in the data, or [`NO_PARENT`].
    reshare_of: Vec<u32>,
    quote_of: Vec<u32>,
}

/// Each post's place among the posts, by (platform, id): tables of post numbers, one per
/// [`ID_PARTS`]-th of the hashes. The parts are filled side by side, each small enough to stay in
/// the caches (one table of millions of ids waited on a cache miss per post), and a post number
/// takes 4 bytes where a (platform, id) key took 24.
#[derive(Debug, Clone, Default)]
pub(crate) struct Ids {
    parts: Vec<HashTable<u32>>,
}

/// The number of [`Ids`] parts, picked by [`part_of`].
const ID_PARTS: usize = 256;

fn key_hash(platform: Platform, id: &str) -> u64 {
    FixedState::default().hash_one((platform, id))
}

/// A key's part, by bits of its hash that the tables leave alone: they pick slots by the low bits
/// and tell keys apart by the top seven (all equal, were parts picked by them).
fn part_of(hash: u64) -> usize {
    (hash >> 48) as usize % ID_PARTS
}

fn same_key(post: PostRef, platform: Platform, id: &str) -> bool {
    post.platform() == platform && post.id() == id
}

impl Ids {
    /// The rows `keep` keeps, each (platform, id) once (at its first row), in order; and the
    /// index of their ids.
    pub(crate) fn first_of<'a>(
        rows: impl ParallelIterator<Item = PostRef<'a>>,
        keep: impl Fn(PostRef<'a>) -> bool + Sync,
    ) -> (Vec<PostRef<'a>>, Ids) {
        let (mut posts, hashes): (Vec<PostRef>, Vec<u64>) = rows
            .filter(|&p| keep(p))
            .map(|p| (p, key_hash(p.platform(), p.id())))
            .unzip();
        let (mut ids, repeated) = Ids::index(&posts, &hashes);
        drop(hashes);
        if !repeated.is_empty() {
            // Each kept post's number among the posts left: less the repeats before it.
            ids.parts.par_iter_mut().for_each(|table| {
                for post in table.iter_mut() {
                    *post -= repeated.partition_point(|&r| r < *post) as u32;
                }
            });
            let mut at = 0u32;
            let mut next_repeat = repeated.iter().peekable();
            posts.retain(|_| {
                let repeat = next_repeat.next_if_eq(&&at).is_some();
                at += 1;
                !repeat
            });
        }
        (posts, ids)
    }

    /// The index of every post's id; a repeated id finds its first post.
    pub(crate) fn new(posts: &[PostRef]) -> Ids {
        let hashes: Vec<u64> = posts
            .par_iter()
            .map(|p| key_hash(p.platform(), p.id()))
            .collect();
        Ids::index(posts, &hashes).0
    }

    /// The index of the posts' ids (`hashes` are their keys'), and the posts whose id an earlier
    /// post has, in order.
    fn index(posts: &[PostRef], hashes: &[u64]) -> (Ids, Vec<u32>) {
        let by_part = Grouped::new(ID_PARTS, || {
            hashes
                .iter()
                .enumerate()
                .map(|(i, &hash)| (part_of(hash) as u32, i as u32))
        });
        let (parts, repeats): (Vec<HashTable<u32>>, Vec<Vec<u32>>) = (0..ID_PARTS)
            .into_par_iter()
            .map(|part| {
                let members = by_part.of(part);
                let mut table = HashTable::with_capacity(members.len());
                let mut repeated = Vec::new();
                // In post order, so the first post with an id is the one kept.
                for i in members {
                    let (post, hash) = (posts[i], hashes[i]);
                    let entry = table.entry(
                        hash,
                        |&j: &u32| same_key(posts[j as usize], post.platform(), post.id()),
                        |&j: &u32| hashes[j as usize],
                    );
                    match entry {
                        Entry::Occupied(_) => repeated.push(i as u32),
                        Entry::Vacant(slot) => {
                            slot.insert(i as u32);
                        }
                    }
                }
                (table, repeated)
            })
            .unzip();
        let mut repeated = repeats.concat();
        repeated.sort_unstable();
        (Ids { parts }, repeated)
    }

    /// The number of the post with this platform and id among `posts`, the posts indexed.
    pub(crate) fn get(&self, posts: &[PostRef], platform: Platform, id: &str) -> Option<u32> {
        let hash = key_hash(platform, id);
        self.parts
            .get(part_of(hash))?
            .find(hash, |&j| {
                posts
                    .get(j as usize)
                    .is_some_and(|&p| same_key(p, platform, id))
            })
            .copied()
    }
}

/// The members of `n` groups in one vector, each group's in the order given: group g's are
/// `list[start[g]..start[g + 1]]` (a counting sort), 4 bytes a member instead of a `Vec` per group.
#[derive(Debug, Clone, Default)]
pub(crate) struct Grouped {
    start: Vec<u32>,
    list: Vec<u32>,
}

impl Grouped {
    /// Groups the (group, member) pairs `pairs` yields (called twice: to count, then to fill);
    /// every group is below `n`.
    pub(crate) fn new<I: Iterator<Item = (u32, u32)>>(n: usize, pairs: impl Fn() -> I) -> Grouped {
        let mut start = vec![0u32; n + 1];
        for (group, _) in pairs() {
            start[group as usize + 1] += 1;
        }
        for g in 0..n {
            start[g + 1] += start[g];
        }
        let mut fill = start.clone();
        let mut list = vec![0u32; start[n] as usize];
        for (group, member) in pairs() {
            list[fill[group as usize] as usize] = member;
            fill[group as usize] += 1;
        }
        Grouped { start, list }
    }

    /// The members of group g, in the order given.
    pub(crate) fn of(&self, g: usize) -> impl ExactSizeIterator<Item = usize> + '_ {
        self.list[self.start[g] as usize..self.start[g + 1] as usize]
            .iter()
            .map(|&m| m as usize)
    }
}

/// The parent of a root.
const NO_PARENT: u32 = u32::MAX;

/// Each post's linked post (by the id `of` gives) as an index, or [`NO_PARENT`].
fn resolve<'a>(
    posts: &[PostRef<'a>],
    index: &Ids,
    of: impl Fn(&PostRef<'a>) -> Option<&'a str> + Sync,
) -> Vec<u32> {
    posts
        .par_iter()
        .map(|p| {
            of(p)
                .and_then(|id| index.get(posts, p.platform(), id))
                .unwrap_or(NO_PARENT)
        })
        .collect()
}

/// Post i's entry of a per-post link, unless it is [`NO_PARENT`].
fn linked(links: &[u32], i: usize) -> Option<usize> {
    links
        .get(i)
        .filter(|&&p| p != NO_PARENT)
        .map(|&p| p as usize)
}

/// Every post once, children before their parents; posts on reply cycles come last, one group
/// per cycle (all posts of a cycle reach each other, so they share their descendants).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BottomUp {
    pub order: Vec<usize>,
    pub cycles: Vec<Vec<usize>>,
}

impl Threads {
    /// Indexes the posts; a parent id that is not among them leaves the post a root.
    pub fn build(posts: &[PostRef]) -> Threads {
        Threads::build_with(posts, Ids::new(posts))
    }

    /// [`Threads::build`] with the index of the posts' ids already made.
    pub(crate) fn build_with(posts: &[PostRef], index: Ids) -> Threads {
        let parent = resolve(posts, &index, PostRef::in_reply_to_id);
        let reshare_of = resolve(posts, &index, PostRef::reshare_of_id);
        let quote_of = resolve(posts, &index, PostRef::quote_of_id);
        drop(index);
        let children = Grouped::new(posts.len(), || {
            parent
                .iter()
                .enumerate()
                .filter(|&(_, &p)| p != NO_PARENT)
                .map(|(child, &p)| (p, child as u32))
        });
        Threads {
            parent,
            children,
            reshare_of,
            quote_of,
        }
    }

    pub fn len(&self) -> usize {
        self.parent.len()
    }

    pub fn is_empty(&self) -> bool {
        self.parent.is_empty()
    }

    /// The post this one replies to, when it is in the data.
    pub fn parent(&self, i: usize) -> Option<usize> {
        linked(&self.parent, i)
    }

    /// The post that post i reshares (by `reshare_of_id`), when it is in the data.
    pub fn reshare_of(&self, i: usize) -> Option<usize> {
        linked(&self.reshare_of, i)
    }

    /// The post that post i quotes (by `quote_of_id`), when it is in the data.
    pub fn quote_of(&self, i: usize) -> Option<usize> {
        linked(&self.quote_of, i)
    }

    /// Direct replies to post i, in input order.
    pub fn children(&self, i: usize) -> impl ExactSizeIterator<Item = usize> + '_ {
        self.children.of(i)
    }

    /// All posts below post i (depth first), each once; on a cycle this includes i itself.
    pub fn descendants(&self, i: usize) -> Vec<usize> {
        let mut seen = foldhash::HashSet::default();
        let mut out = Vec::new();
        let mut stack: Vec<usize> = self.children(i).collect();
        while let Some(c) = stack.pop() {
            if !seen.insert(c) {
                continue;
            }
            out.push(c);
            stack.extend(self.children(c));
        }
        out
    }

    /// A children-before-parents order of every post (Kahn's algorithm on the child counts);
    /// what cannot be ordered lies on reply cycles, returned as groups.
    pub fn bottom_up(&self) -> BottomUp {
        let n = self.len();
        let mut pending: Vec<usize> = (0..n).map(|i| self.children(i).len()).collect();
        let mut order: Vec<usize> = (0..n).filter(|&i| pending[i] == 0).collect();
        let mut next = 0;
        while next < order.len() {
            if let Some(p) = self.parent(order[next]) {
                pending[p] -= 1;
                if pending[p] == 0 {
                    order.push(p);
                }
            }
            next += 1;
        }
        let mut cycles = Vec::new();
        if order.len() < n {
            // Every post not ordered has a pending child; following parents from it stays on
            // its cycle (a post on a cycle has its parent on the cycle).
            let mut done = vec![false; n];
            for &i in &order {
                done[i] = true;
            }
            for start in 0..n {
                if done[start] {
                    continue;
                }
                let mut cycle = Vec::new();
                let mut at = start;
                while !done[at] {
                    done[at] = true;
                    cycle.push(at);
                    match self.parent(at) {
                        Some(p) => at = p,
                        None => break,
                    }
                }
                cycles.push(cycle);
            }
        }
        BottomUp { order, cycles }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;
    use dialoog_model::{Post, PostTable};

    fn post(id: &str, parent: Option<&str>) -> Post {
        let mut p = Post::new(Platform::Twitter, id, DateTime::UNIX_EPOCH, "a", "a");
        p.in_reply_to_id = parent.map(str::to_owned);
        p
    }

    #[test]
    fn children_descendants_and_missing_parents() {
        let posts = [
            post("1", None),
            post("2", Some("1")),
            post("3", Some("2")),
            post("4", Some("1")),
            post("5", Some("deleted")),
        ];
        let table = PostTable::from_posts(&posts).unwrap();
        let refs: Vec<PostRef> = table.rows().collect();
        let t = Threads::build(&refs);
        assert_eq!(t.children(0).collect::<Vec<_>>(), [1, 3]);
        assert_eq!(t.parent(2), Some(1));
        assert_eq!(t.parent(4), None);
        let mut d = t.descendants(0);
        d.sort_unstable();
        assert_eq!(d, vec![1, 2, 3]);
        let up = t.bottom_up();
        assert!(up.cycles.is_empty());
        let pos = |i| up.order.iter().position(|&x| x == i).unwrap();
        assert!(pos(2) < pos(1) && pos(1) < pos(0) && pos(3) < pos(0));
        assert_eq!(up.order.len(), 5);
    }

    #[test]
    fn the_first_of_each_id_is_kept_and_found() {
        // Each id three times, with every fifth post left out.
        let posts: Vec<Post> = (0..30_007)
            .map(|i| {
                let mut p = post(&(i % 10_003).to_string(), None);
                p.likes = Some(i as u64);
                if i % 11 == 0 {
                    p.platform = Platform::Mastodon;
                }
                p
            })
            .collect();
        let table = PostTable::from_posts(&posts).unwrap();
        let (kept, ids) = Ids::first_of(table.par_rows(), |p| p.likes().unwrap() % 5 != 0);
        let mut expected = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for p in table.rows() {
            if p.likes().unwrap() % 5 != 0 && seen.insert((p.platform(), p.id())) {
                expected.push(p.index());
            }
        }
        assert_eq!(kept.iter().map(|p| p.index()).collect::<Vec<_>>(), expected);
        for (i, p) in kept.iter().enumerate() {
            assert_eq!(ids.get(&kept, p.platform(), p.id()), Some(i as u32));
        }
        assert_eq!(ids.get(&kept, Platform::Twitter, "no such id"), None);
        let all: Vec<PostRef> = table.rows().collect();
        let every = Ids::new(&all);
        assert_eq!(every.get(&all, Platform::Twitter, "1"), Some(1));
        assert_eq!(every.get(&all, Platform::Mastodon, "11"), Some(11));
    }

    #[test]
    fn reply_cycles_are_found_and_do_not_loop() {
        // 1 → 2 → 3 → 1 is a cycle; 4 replies to 2 and hangs off it; 5 is alone.
        let posts = [
            post("1", Some("3")),
            post("2", Some("1")),
            post("3", Some("2")),
            post("4", Some("2")),
            post("5", None),
        ];
        let table = PostTable::from_posts(&posts).unwrap();
        let refs: Vec<PostRef> = table.rows().collect();
        let t = Threads::build(&refs);
        let mut d = t.descendants(0);
        d.sort_unstable();
        assert_eq!(d, vec![0, 1, 2, 3]);
        let up = t.bottom_up();
        let mut order = up.order.clone();
        order.sort_unstable();
        assert_eq!(order, vec![3, 4]);
        assert_eq!(up.cycles.len(), 1);
        let mut cycle = up.cycles[0].clone();
        cycle.sort_unstable();
        assert_eq!(cycle, vec![0, 1, 2]);
    }
}

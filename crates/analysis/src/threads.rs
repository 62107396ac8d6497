//! Reply trees: posts indexed by (platform, id), each post's parent (via `in_reply_to_id`, when
//! the parent is in the data) and children, descendants, and a bottom-up order for folding values
//! from the leaves to the roots in linear time. Dirty data may hold reply cycles (a → b → a);
//! they are detected and reported instead of looping.

use dialoog_model::{Platform, PostRef};
use foldhash::HashMap;

/// The reply forest over a slice of posts (indexes refer to that slice).
#[derive(Debug, Clone, Default)]
pub struct Threads {
    parent: Vec<Option<usize>>,
    /// Children of post i are `child_list[child_start[i]..child_start[i + 1]]`.
    child_start: Vec<usize>,
    child_list: Vec<usize>,
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
        let index: HashMap<(Platform, &str), usize> = posts
            .iter()
            .enumerate()
            .map(|(i, p)| ((p.platform(), p.id()), i))
            .collect();
        let parent: Vec<Option<usize>> = posts
            .iter()
            .map(|p| {
                p.in_reply_to_id()
                    .and_then(|id| index.get(&(p.platform(), id)).copied())
            })
            .collect();
        let mut child_start = vec![0usize; posts.len() + 1];
        for p in parent.iter().flatten() {
            child_start[p + 1] += 1;
        }
        for i in 0..posts.len() {
            child_start[i + 1] += child_start[i];
        }
        let mut fill = child_start.clone();
        let mut child_list = vec![0usize; child_start[posts.len()]];
        for (child, p) in parent.iter().enumerate() {
            if let Some(p) = p {
                child_list[fill[*p]] = child;
                fill[*p] += 1;
            }
        }
        Threads {
            parent,
            child_start,
            child_list,
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
        self.parent[i]
    }

    /// Direct replies to post i, in input order.
    pub fn children(&self, i: usize) -> &[usize] {
        &self.child_list[self.child_start[i]..self.child_start[i + 1]]
    }

    /// All posts below post i (depth first), each once; on a cycle this includes i itself.
    pub fn descendants(&self, i: usize) -> Vec<usize> {
        let mut seen = foldhash::HashSet::default();
        let mut out = Vec::new();
        let mut stack: Vec<usize> = self.children(i).to_vec();
        while let Some(c) = stack.pop() {
            if !seen.insert(c) {
                continue;
            }
            out.push(c);
            stack.extend_from_slice(self.children(c));
        }
        out
    }

    /// A children-before-parents order of every post (Kahn's algorithm on the child counts);
    /// what cannot be ordered lies on reply cycles, returned as groups.
    pub fn bottom_up(&self) -> BottomUp {
        let n = self.len();
        let mut pending: Vec<usize> = (0..n)
            .map(|i| self.child_start[i + 1] - self.child_start[i])
            .collect();
        let mut order: Vec<usize> = (0..n).filter(|&i| pending[i] == 0).collect();
        let mut next = 0;
        while next < order.len() {
            if let Some(p) = self.parent[order[next]] {
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
                    match self.parent[at] {
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
        assert_eq!(t.children(0), &[1, 3]);
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

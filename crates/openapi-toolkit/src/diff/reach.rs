//! Which operations reach each change at a shared component, reference cycles included.
//!
//! A component pair is walked once per place; its walk records the changes it reports itself and the
//! components it steps into. Which operations reach a change is settled only after every operation has been
//! walked, over that graph, because a walk cut at a cycle's back edge does not yet know what lies behind it.

use std::collections::{BTreeSet, HashMap};

use super::model::Change;
use super::schema::ComponentKey;

/// One component pair compared at one place.
#[derive(Default)]
struct Node {
    /// The changes its own walk reported (indices into the diff's changes), not those of components it steps into.
    changes: Vec<usize>,
    /// The components its walk steps into, cycles included.
    children: BTreeSet<usize>,
    /// The operations that step into it from outside any component.
    operations: BTreeSet<String>,
}

/// The component graph of one diff.
#[derive(Default)]
pub(crate) struct Components {
    ids: HashMap<ComponentKey, usize>,
    nodes: Vec<Node>,
    /// The component walks in progress, innermost last.
    walking: Vec<usize>,
}

impl Components {
    /// Notes that `operation` (or the component walk in progress) steps into `key`; true when `key` is new and
    /// must be walked, which the caller does between `enter` and `leave`.
    pub(crate) fn reach(&mut self, key: ComponentKey, operation: &str) -> bool {
        let (id, new) = match self.ids.get(&key) {
            Some(&id) => (id, false),
            None => {
                let id = self.nodes.len();
                self.ids.insert(key, id);
                self.nodes.push(Node::default());
                (id, true)
            }
        };
        match self.walking.last() {
            Some(&parent) => {
                self.nodes[parent].children.insert(id);
            }
            None => {
                self.nodes[id].operations.insert(operation.to_string());
            }
        }
        if new {
            self.walking.push(id);
        }
        new
    }

    /// Ends the innermost component walk, begun by a `reach` that returned true.
    pub(crate) fn leave(&mut self) {
        self.walking.pop();
    }

    /// Records a change reported by the innermost component walk.
    pub(crate) fn record(&mut self, index: usize) {
        if let Some(&id) = self.walking.last() {
            self.nodes[id].changes.push(index);
        }
    }

    /// Lists under each change at a component every operation that reaches that component, directly or through
    /// other components. Few components change in one diff, so each searches backwards from itself: the cost is
    /// the graph's size times the number of changed components, never the number of routes.
    pub(crate) fn settle(&self, changes: &mut [Change]) {
        let mut parents: Vec<Vec<usize>> = vec![Vec::new(); self.nodes.len()];
        for (id, node) in self.nodes.iter().enumerate() {
            for &child in &node.children {
                parents[child].push(id);
            }
        }
        for (id, node) in self.nodes.iter().enumerate() {
            if node.changes.is_empty() {
                continue;
            }
            let mut seen = vec![false; self.nodes.len()];
            let mut stack = vec![id];
            seen[id] = true;
            let mut operations = BTreeSet::new();
            while let Some(at) = stack.pop() {
                operations.extend(self.nodes[at].operations.iter().cloned());
                for &parent in &parents[at] {
                    if !seen[parent] {
                        seen[parent] = true;
                        stack.push(parent);
                    }
                }
            }
            for &index in &node.changes {
                changes[index].operations.extend(operations.iter().cloned());
            }
        }
    }
}

//! A static description of AWS's shapes, generated with the types, for code that walks JSON
//! against the model: the strict loader, the `extra` checks of the derives, conformance tests.

/// One shape of AWS's model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    /// AWS's shape name, for example `ContainerDefinition`.
    pub name: &'static str,
    /// The Rust type that models it (the request shape is `TaskDefinition`).
    pub rust_name: &'static str,
    /// What kind of value it is.
    pub kind: ShapeKind,
}

/// The kinds of shape the ECS model uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShapeKind {
    /// A JSON object with these members, in AWS's order.
    Structure(&'static [Member]),
    /// A string from a closed set.
    Enum(&'static [&'static str]),
    /// A free string, with AWS's length bounds where it gives them.
    String {
        /// Minimum length.
        min: Option<i64>,
        /// Maximum length.
        max: Option<i64>,
    },
    /// An integer, with AWS's bounds where it gives them.
    Integer {
        /// Minimum value.
        min: Option<i64>,
        /// Maximum value.
        max: Option<i64>,
    },
    /// `true` or `false`.
    Boolean,
    /// A JSON array of the member shape.
    List {
        /// The shape of each element.
        member: &'static str,
        /// Maximum number of elements.
        max: Option<i64>,
    },
    /// A JSON object from string keys to the value shape.
    Map {
        /// The shape of each value.
        value: &'static str,
    },
}

/// A member of a structure shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Member {
    /// The wire (JSON) name, camelCase.
    pub name: &'static str,
    /// The Rust field name.
    pub rust_name: &'static str,
    /// The member's shape.
    pub shape: &'static str,
    /// Whether AWS requires it.
    pub required: bool,
}

impl Shape {
    /// The members of a structure shape (empty for other kinds).
    pub fn members(&self) -> &'static [Member] {
        match self.kind {
            ShapeKind::Structure(members) => members,
            _ => &[],
        }
    }

    /// The member with this wire name.
    pub fn member(&self, wire_name: &str) -> Option<&'static Member> {
        self.members().iter().find(|m| m.name == wire_name)
    }
}

/// The shape with this AWS name.
pub fn shape(name: &str) -> Option<&'static Shape> {
    crate::generated::SHAPES
        .binary_search_by(|s| s.name.cmp(name))
        .ok()
        .map(|i| &crate::generated::SHAPES[i])
}

/// Every shape reachable from `RegisterTaskDefinitionRequest`, sorted by name.
pub fn shapes() -> &'static [Shape] {
    crate::generated::SHAPES
}

/// The name of the request shape, the root of the model.
pub const ROOT: &str = "RegisterTaskDefinitionRequest";

#[cfg(test)]
mod tests {
    use super::{ShapeKind, shapes};
    use crate::suggest::tests::{assert_same, typos};

    /// Every list a suggestion is chosen from: each structure's member names, each enum's
    /// values and the partitions, with near misses of each entry against every entry of the
    /// same list, lowered as `did_you_mean` lowers them, and as given.
    #[test]
    fn jaro_equals_strsim_on_every_suggestion_list() {
        let mut lists: Vec<Vec<&str>> = shapes()
            .iter()
            .filter_map(|s| match s.kind {
                ShapeKind::Structure(members) => Some(members.iter().map(|m| m.name).collect()),
                ShapeKind::Enum(values) => Some(values.to_vec()),
                _ => None,
            })
            .collect();
        lists.push(
            crate::partition::Partition::ALL
                .iter()
                .map(|p| p.as_str())
                .collect(),
        );
        let mut pairs = 0;
        for list in &lists {
            for word in list {
                for typo in typos(word) {
                    for candidate in list {
                        assert_same(&typo, candidate);
                        assert_same(&typo.to_ascii_lowercase(), &candidate.to_ascii_lowercase());
                        pairs += 2;
                    }
                }
            }
        }
        assert!(pairs > 100_000, "{pairs} pairs");
    }
}

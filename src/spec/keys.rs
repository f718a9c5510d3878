//! Which keys are valid where in a spec, for reporting every unknown key at
//! once. The names come from the serde types themselves; only the nesting is
//! spelled out here.

use super::raw::*;
use crate::yaml::{Seg, field_names};

pub fn known_keys(path: &[Seg]) -> Option<Vec<String>> {
    use Seg::{Index as I, Key as K};
    let key = |s: &Seg, name: &str| matches!(s, K(k) if k == name);
    match path {
        [] => Some(field_names::<RawSpec>()),
        [c, I(_)] if key(c, "calls") => Some(field_names::<RawCall>()),
        [c, I(_), m, I(_)] if key(c, "calls") && key(m, "messages") => {
            Some(field_names::<RawMessage>())
        }
        [c, I(_), v, K(_)] if key(c, "calls") && key(v, "variables") => {
            Some(field_names::<RawVariable>())
        }
        [v, K(_)] if key(v, "variables") => Some(field_names::<RawVariable>()),
        [c, I(_), o] if key(c, "calls") && key(o, "output_tokens") => {
            Some(field_names::<RawDistribution>())
        }
        [c, I(_), o] if key(c, "calls") && key(o, "cache") => Some(field_names::<RawCache>()),
        [c, I(_), o] if key(c, "calls") && key(o, "tools") => Some(vec!["file".to_string()]),
        [c, I(_), o] if key(c, "calls") && key(o, "conversation") => {
            Some(field_names::<RawConversation>())
        }
        [c, I(_), o] if key(c, "calls") && key(o, "cascade") => Some(field_names::<RawCascade>()),
        [c, I(_), r, I(_)] if key(c, "calls") && key(r, "route") => {
            Some(field_names::<RawRouteLeg>())
        }
        [t] if key(t, "traffic") => Some(field_names::<RawTraffic>()),
        [t] if key(t, "economics") => Some(field_names::<RawEconomics>()),
        [t] if key(t, "budget") => Some(field_names::<RawBudget>()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names_come_from_serde() {
        let names = field_names::<RawCache>();
        assert_eq!(names, vec!["prefix", "hit_rate", "ttl"]);
        assert!(field_names::<RawSpec>().contains(&"traffic".to_string()));
    }
}

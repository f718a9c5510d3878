//! What serves a call, in words: the one label every output (each report
//! format, the JSON documents, `diff`) prints for a routed or cascaded
//! call. The estimate keeps the `Serving` value; only outputs label it.

/// `gpt-5-nano 80% · gpt-5 20%`, `gpt-5-nano → gpt-5 (20% escalated)`, or
/// the model: what serves a call, in words.
pub fn serving_label(serving: &crate::spec::Serving) -> String {
    use crate::spec::Serving;
    let pct = |w: rust_decimal::Decimal| {
        format!("{}%", (w * rust_decimal::Decimal::ONE_HUNDRED).normalize())
    };
    match serving {
        Serving::Model(m) => m.clone(),
        Serving::Route(legs) if legs.len() == 1 && legs[0].weight == rust_decimal::Decimal::ONE => {
            legs[0].model.clone()
        }
        Serving::Cascade {
            first,
            then,
            escalation_rate,
        } => format!("{first} → {then} ({} escalated)", pct(*escalation_rate)),
        Serving::Route(legs) => legs
            .iter()
            .map(|l| format!("{} {}", l.model, pct(l.weight)))
            .collect::<Vec<_>>()
            .join(" · "),
    }
}

/// How a call is sent, where it is not the list price's way: `batch`, or
/// its service tier, region and speed (`flex · eu`, `fast`).
pub fn terms_label(batch: bool, service: &crate::pricing::Service) -> Option<String> {
    use crate::pricing::{Region, ServiceTier, Speed};
    if batch {
        return Some("batch".into());
    }
    let mut parts = Vec::new();
    if service.tier != ServiceTier::Standard {
        parts.push(service.tier.name());
    }
    if service.region != Region::Global {
        parts.push(service.region.name());
    }
    if service.speed != Speed::Standard {
        parts.push(service.speed.name());
    }
    (!parts.is_empty()).then(|| parts.join(" · "))
}

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;

    use super::serving_label;
    use crate::spec::{Leg, Serving};

    use crate::test_support::d;

    #[test]
    fn what_serves_a_call_in_words_and_in_billed_shares() {
        let route = Serving::Route(vec![
            Leg {
                model: "gpt-5-nano".into(),
                weight: d("0.8"),
            },
            Leg {
                model: "gpt-5".into(),
                weight: d("0.2"),
            },
        ]);
        assert_eq!(serving_label(&route), "gpt-5-nano 80% · gpt-5 20%");
        // A cascade bills every run on the first model, and the escalated
        // 20% again on the second: shares 1 and 0.2 (1.2 runs in all).
        let cascade = Serving::Cascade {
            first: "gpt-5-nano".into(),
            then: "gpt-5".into(),
            escalation_rate: d("0.2"),
        };
        assert_eq!(
            serving_label(&cascade),
            "gpt-5-nano → gpt-5 (20% escalated)"
        );
        let weights: Vec<Decimal> = cascade.legs().iter().map(|l| l.weight).collect();
        assert_eq!(weights, [d("1"), d("0.2")]);
        assert_eq!(cascade.first_model(), "gpt-5-nano");
        assert_eq!(
            serving_label(&Serving::Model("gpt-4o-mini".into())),
            "gpt-4o-mini"
        );
    }
}

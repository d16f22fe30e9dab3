use super::RebateMonths;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// `GET /api/documents/rebate-months?customer=`: the months with a 還元額計算書 to download,
/// newest first. `customer` (お客様ID) is for 全国販社 staff; empty = the signed-in customer.
#[server(name = RebateMonthsFn, prefix = "/api", endpoint = "documents/rebate-months", input = GetUrl)]
pub async fn rebate_months(customer: String) -> Result<RebateMonths, AppError> {
    use crate::server::{boundary, documents, rebate};
    let st = boundary::state()?;
    let viewer =
        crate::server::signed_in::customer(&st, boundary::session_token().as_deref()).await?;
    let subject = documents::statement_subject(&st, &viewer, Some(&customer)).await?;
    let other = subject.id != viewer.id;
    let months = documents::statement_months(&st.db, &subject, st.clock.now()).await?;
    let rebates = documents::month_rebates(&st.db, &subject, &months).await?;
    let query = if other {
        format!("?customer={}", subject.customer_code)
    } else {
        String::new()
    };
    Ok(RebateMonths {
        customer_code: subject.customer_code.clone(),
        name: subject.name.clone(),
        staff: documents::is_staff(&viewer),
        other,
        months: months
            .into_iter()
            .zip(rebates)
            .map(|(m, r)| super::MonthLink {
                href: format!("/documents/rebate/{}.pdf{query}", m.code()),
                code: m.code(),
                label: m.label(),
                rebate_yen: r.rebate_yen,
                base_yen: r.base_yen,
                order_count: r.order_count,
                segments: r
                    .segments
                    .iter()
                    .map(|s| super::SegmentView {
                        period: format!("{}〜{}", s.from.format("%-m/%-d"), s.to.format("%-m/%-d")),
                        percent: rebate::percent_label(s.basis_points),
                        order_count: s.order_count,
                        base_yen: s.base_yen,
                        rebate_yen: s.rebate_yen,
                    })
                    .collect(),
            })
            .collect(),
    })
}

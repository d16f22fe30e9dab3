use super::RebateMonths;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// `GET /api/documents/rebate-months?customer=`: the months with a 還元額計算書 to download,
/// newest first; a closed month shows its stored (latest) version, an open one 仮計算.
/// `customer` (お客様ID) is for 全国販社 staff; empty = the signed-in customer.
#[server(name = RebateMonthsFn, prefix = "/api", endpoint = "documents/rebate-months", input = GetUrl)]
pub async fn rebate_months(customer: String) -> Result<RebateMonths, AppError> {
    use crate::domain::time::jp_date;
    use crate::server::pdf::rebate_statement::status_label;
    use crate::server::{boundary, documents, rebate, rebate::list as rebate_list, signed_in};
    let st = boundary::state()?;
    let viewer =
        crate::server::signed_in::customer(&st, boundary::session_token().as_deref()).await?;
    let subject = documents::statement_subject(&st, &viewer, Some(&customer)).await?;
    let other = subject.id != viewer.id;
    let months = rebate::queries::statement_months(&st.db, &subject, st.clock.now()).await?;
    let views = rebate_list::month_list(&st.db, &subject, &months).await?;
    let who = if other {
        format!("customer={}", subject.customer_code)
    } else {
        String::new()
    };
    let query = |extra: &str| {
        let q: Vec<&str> = [who.as_str(), extra]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect();
        if q.is_empty() {
            String::new()
        } else {
            format!("?{}", q.join("&"))
        }
    };
    let months = views
        .into_iter()
        .map(|v| {
            let m = v.month;
            let r = v.rebate;
            let earlier = v
                .versions
                .iter()
                .filter(|(n, _)| Some(*n) != v.version)
                .map(|(n, on)| super::VersionLink {
                    label: format!("第{n}版（{}発行）", jp_date(*on)),
                    href: format!(
                        "/documents/rebate/{}.pdf{}",
                        m.code(),
                        query(&format!("version={n}"))
                    ),
                })
                .collect();
            super::MonthLink {
                href: format!("/documents/rebate/{}.pdf{}", m.code(), query("")),
                csv_href: format!("/documents/rebate/{}.csv{}", m.code(), query("")),
                code: m.code(),
                label: m.label(),
                rebate_yen: r.rebate_yen,
                base_yen: r.base_yen,
                order_count: r.order_count,
                orders_yen: r.orders_yen,
                return_count: r.return_count,
                returns_yen: r.returns_yen,
                status: status_label(v.version),
                provisional: v.version.is_none(),
                reason: v.reason,
                earlier,
                segments: r
                    .segments
                    .iter()
                    .map(|s| super::SegmentView {
                        period: format!("{}〜{}", s.from.format("%-m/%-d"), s.to.format("%-m/%-d")),
                        percent: rebate::percent_label(s.basis_points),
                        order_count: s.order_count,
                        orders_yen: s.orders_yen,
                        return_count: s.return_count,
                        returns_yen: s.returns_yen,
                        base_yen: s.base_yen,
                        rebate_yen: s.rebate_yen,
                    })
                    .collect(),
            }
        })
        .collect();
    Ok(RebateMonths {
        customer_code: subject.customer_code.clone(),
        name: subject.name.clone(),
        staff: signed_in::is_staff(&viewer),
        other,
        months,
    })
}

use crate::documents::MonthLink;
use crate::domain::yen;
use leptos::prelude::*;

/// One month of the 還元額計算書 list: the amount on screen with its state (仮計算 before
/// the close, 確定 and the version after), its breakdown (the PDF's segments, returns on
/// their own negative lines) on request, the PDF, earlier versions and the CSV.
#[component]
pub fn RebateMonthRow(month: MonthLink) -> impl IntoView {
    let m = month;
    let earlier = (!m.earlier.is_empty()).then(|| {
        view! {
            <p class="earlier-versions">
                "以前の版: "
                {m
                    .earlier
                    .iter()
                    .map(|v| {
                        view! {
                            <a href=v.href.clone() download rel="external" class="version-link">{v.label.clone()}</a>
                        }
                    })
                    .collect_view()}
            </p>
        }
    });
    let reason = m
        .reason
        .clone()
        .map(|r| view! { <p class="hint reissue-reason">"再発行の理由: " {r}</p> });
    view! {
        <li class="rebate-month" class:provisional=m.provisional data-month=m.code.clone()>
            <div class="rebate-month-head">
                <span class="month">{m.label.clone()}</span>
                <span
                    class="badge"
                    class:badge-provisional=m.provisional
                    class:badge-closed=!m.provisional
                    data-testid="rebate-status"
                >
                    {m.status.clone()}
                </span>
                <span class="rebate-amount">
                    "還元額 " <strong data-testid="rebate-amount">{yen(m.rebate_yen)}</strong>
                </span>
                // `download` + rel=external: a file, not a page of the client-side router.
                <a href=m.href.clone() download rel="external" class="download-link">
                    "PDFをダウンロード"
                </a>
                <a href=m.csv_href.clone() download rel="external" class="download-link csv-link">
                    "CSV（明細）"
                </a>
            </div>
            {m.provisional.then(|| view! { <p class="hint">"締め前のため仮計算です。金額は締めの時点で確定します。"</p> })}
            {reason}
            {earlier}
            <details class="rebate-breakdown">
                <summary>
                    {if m.return_count == 0 {
                        format!("内訳（下位のお客様のご注文 {}件・税抜 {}）", m.order_count, yen(m.base_yen))
                    } else {
                        format!(
                            "内訳（下位のお客様のご注文 {}件・税抜 {}、返品 {}件 {}、対象額 {}）",
                            m.order_count,
                            yen(m.orders_yen),
                            m.return_count,
                            yen(-m.returns_yen),
                            yen(m.base_yen),
                        )
                    }}
                </summary>
                <table class="rebate-segments">
                    <thead>
                        <tr>
                            <th>"期間"</th>
                            <th class="num">"還元率"</th>
                            <th class="num">"件数"</th>
                            <th class="num">"対象額（税抜）"</th>
                            <th class="num">"還元額"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {m
                            .segments
                            .into_iter()
                            .map(|s| {
                                if s.return_count == 0 {
                                    return view! {
                                        <tr>
                                            <td data-label="期間">{s.period}</td>
                                            <td class="num" data-label="還元率">{s.percent}</td>
                                            <td class="num" data-label="件数">{format!("{}件", s.order_count)}</td>
                                            <td class="num" data-label="対象額（税抜）">{yen(s.base_yen)}</td>
                                            <td class="num" data-label="還元額">{yen(s.rebate_yen)}</td>
                                        </tr>
                                    }
                                        .into_any();
                                }
                                // Returns on their own negative line, then what remains at the rate.
                                view! {
                                    <tr>
                                        <td data-label="期間">{format!("{}（注文）", s.period)}</td>
                                        <td class="num" data-label="還元率">{s.percent.clone()}</td>
                                        <td class="num" data-label="件数">{format!("{}件", s.order_count)}</td>
                                        <td class="num" data-label="注文額（税抜）">{yen(s.orders_yen)}</td>
                                        <td class="num" data-label="内訳">"—"</td>
                                    </tr>
                                    <tr class="return-line">
                                        <td data-label="期間">"返品"</td>
                                        <td class="num" data-label="還元率">"—"</td>
                                        <td class="num" data-label="件数">{format!("{}件", s.return_count)}</td>
                                        <td class="num" data-label="返品額（税抜）">{yen(-s.returns_yen)}</td>
                                        <td class="num" data-label="内訳">"—"</td>
                                    </tr>
                                    <tr class="net-line">
                                        <td data-label="期間">"差引"</td>
                                        <td class="num" data-label="還元率">{s.percent}</td>
                                        <td class="num" data-label="件数">"—"</td>
                                        <td class="num" data-label="対象額（税抜）">{yen(s.base_yen)}</td>
                                        <td class="num" data-label="還元額">{yen(s.rebate_yen)}</td>
                                    </tr>
                                }
                                    .into_any()
                            })
                            .collect_view()}
                    </tbody>
                </table>
                <p class="hint">
                    "対象額は取消を除く注文の税抜金額から、この月に記録された返品の税抜金額を差し引いた額です。"
                    "還元額は期間ごとに、対象額×還元率の円未満を切り捨てて計算します。"
                </p>
            </details>
        </li>
    }
    // Erased here: the month rows inside the statement list's Suspense are otherwise one type
    // too deep for the compiler.
    .into_any()
}

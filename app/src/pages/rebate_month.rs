use crate::documents::MonthLink;
use crate::orders::yen;
use leptos::prelude::*;

/// One month of the 還元額計算書 list: the amount on screen, its breakdown (the PDF's
/// segments) on request, and the PDF.
#[component]
pub fn RebateMonthRow(month: MonthLink) -> impl IntoView {
    let m = month;
    view! {
        <li class="rebate-month" data-month=m.code.clone()>
            <div class="rebate-month-head">
                <span class="month">{m.label.clone()}</span>
                <span class="rebate-amount">
                    "還元額 " <strong data-testid="rebate-amount">{yen(m.rebate_yen)}</strong>
                </span>
                // `download` + rel=external: a file, not a page of the client-side router.
                <a href=m.href.clone() download rel="external" class="download-link">
                    "PDFをダウンロード"
                </a>
            </div>
            <details class="rebate-breakdown">
                <summary>
                    {format!("内訳（下位のお客様のご注文 {}件・税抜 {}）", m.order_count, yen(m.base_yen))}
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
                                view! {
                                    <tr>
                                        <td data-label="期間">{s.period}</td>
                                        <td class="num" data-label="還元率">{s.percent}</td>
                                        <td class="num" data-label="件数">{format!("{}件", s.order_count)}</td>
                                        <td class="num" data-label="対象額（税抜）">{yen(s.base_yen)}</td>
                                        <td class="num" data-label="還元額">{yen(s.rebate_yen)}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
                <p class="hint">"還元額は期間ごとに、対象額×還元率の円未満を切り捨てて計算します。"</p>
            </details>
        </li>
    }
    // Erased here: the month rows inside the statement list's Suspense are otherwise one type
    // too deep for the compiler.
    .into_any()
}

use crate::customers::{may_search, search_customers, SearchPage};
use crate::model::CurrentUser;
use crate::shell::error_view::ErrorView;
use leptos::prelude::*;
use leptos_meta::Title;
use std::time::Duration;

/// マスタメンテ → 顧客検索 (R4): type-ahead search by 代理店名, カナ or 電話番号. Staff search
/// everyone, 画面1 users their own downline (enforced by the server function).
#[component]
pub fn CustomerSearchPage() -> impl IntoView {
    let user = expect_context::<CurrentUser>();
    if !may_search(user.rank, user.can_register) {
        return view! { <crate::shell::refusal::Refusal title="顧客検索" hint="顧客検索は、全国販社の職員と、会員登録ありのウルトラ販社・スーパー販社・販社の方が利用できます。"/> }.into_any();
    }
    // 全国販社 open a found customer on their edit screen; 画面1 users on a read-only page.
    let staff = user.rank == crate::model::Rank::National;
    let searching = RwSignal::new(false);
    // The query actually searched (typing settles for 250 ms, or Enter).
    let query = RwSignal::new(String::new());
    // Cursors of the pages seen so far: the last one is shown; `None` is the first page.
    let pages = RwSignal::new(vec![None::<String>]);
    let run = move |q: String| {
        if query.get_untracked() != q {
            query.set(q);
            pages.set(vec![None]);
        }
    };
    // What is in the box right now (Enter searches it at once).
    let typed = RwSignal::new(String::new());
    let mut on_input = debounce(Duration::from_millis(250), run);
    let results = Resource::new(
        move || (query.get(), pages.with(|p| p.last().cloned().flatten())),
        |(q, cursor)| async move {
            if q.trim().is_empty() {
                Ok(SearchPage::default())
            } else {
                search_customers(q, cursor).await
            }
        },
    );
    view! {
        <Title text="顧客検索 | 業務代行クラウドシステム"/>
        <h1>"顧客検索"</h1>
        <section class="card customer-search">
            <form
                class="search-form"
                role="search"
                novalidate
                on:submit=move |ev| {
                    ev.prevent_default();
                    run(typed.get_untracked());
                }
            >
                <label for="customer-search-q">"キーワード（代理店名・カナ・電話番号）"</label>
                <div class="search-row">
                    <input
                        id="customer-search-q"
                        name="q"
                        type="search"
                        autocomplete="off"
                        maxlength="100"
                        placeholder="例: やまだ／ﾔﾏﾀﾞ／090-1234-5678／5678"
                        on:input=move |ev| {
                            let v = event_target_value(&ev);
                            typed.set(v.clone());
                            on_input(v);
                        }
                    />
                    <button type="submit" class="primary">"検索"</button>
                </div>
                <p class="hint" data-testid="search-scope">
                    {if staff {
                        "全国販社の職員は、すべてのお客様を検索できます。"
                    } else {
                        "検索できるのは、ご自身の下位のお客様（ダウンライン）だけです。"
                    }}
                </p>
                <p class="hint">
                    "ひらがな・カタカナ・半角カナ、空白の有無は区別しません。電話番号はハイフンの有無・全角・+81 のどれでも、下4桁だけでも検索できます。メールアドレスでは検索できません。"
                </p>
            </form>
            // Shown while a search runs: the previous results stay until the new ones arrive.
            <p class="searching" role="status" data-testid="searching">
                {move || searching.get().then_some("検索中…")}
            </p>
            <Transition fallback=|| view! { <p class="loading">"検索中…"</p> } set_pending=searching>
                {move || Suspend::new(async move {
                    let q = query.get_untracked();
                    match results.await {
                        Ok(_) if q.trim().is_empty() => {
                            view! { <p class="hint" data-testid="search-status">"キーワードを入力してください。"</p> }.into_any()
                        }
                        Ok(page) if page.hits.is_empty() => {
                            view! { <p data-testid="search-status">"該当するお客様はいません。"</p> }.into_any()
                        }
                        Ok(page) => view! { <Results page=page pages=pages staff=staff q=q.clone()/> }.into_any(),
                        Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
    .into_any()
}

#[component]
fn Results(
    page: SearchPage,
    pages: RwSignal<Vec<Option<String>>>,
    staff: bool,
    q: String,
) -> impl IntoView {
    let n = page.hits.len();
    let first = pages.with_untracked(|p| p.len() == 1);
    let next = page.next.clone();
    let single_page = first && next.is_none();
    view! {
        <p data-testid="search-status">{format!("{n}件を表示しています。")}</p>
        // A plain GET form: the browser encodes the query; every page of the result is saved.
        <form class="csv-export" method="get" action="/documents/customers.csv">
            <input type="hidden" name="q" value=q/>
            <label for="customer-csv-encoding">"CSVの文字コード"</label>
            <select id="customer-csv-encoding" name="encoding">
                <option value="utf8">"UTF-8（BOM付き・Excel対応）"</option>
                <option value="sjis">"Shift_JIS（古いExcel）"</option>
            </select>
            <button type="submit" data-testid="customers-csv">"検索結果をCSVで保存"</button>
        </form>
        <table id="customer-search-results" class="search-results">
            <thead>
                <tr>
                    <th>"お客様ID"</th>
                    <th>"代理店名"</th>
                    <th>"カナ"</th>
                    <th>"電話番号"</th>
                    <th>"ランク"</th>
                    <th>"販売事業部"</th>
                    <th>"上位店"</th>
                </tr>
            </thead>
            <tbody>
                {page
                    .hits
                    .into_iter()
                    .map(|h| {
                        let upline = match (h.upline_code, h.upline_name) {
                            (Some(c), Some(n)) => format!("{n}（{c}）"),
                            _ => "—".into(),
                        };
                        view! {
                            <tr data-testid="customer-hit">
                                <td data-label="お客様ID" class="code">
                                    {if staff {
                                        let href = format!("/staff/customers/{}", h.customer_code);
                                        view! { <a href=href data-testid="hit-edit">{h.customer_code}</a> }.into_any()
                                    } else {
                                        let href = format!("/master/customers/{}", h.customer_code);
                                        view! { <a href=href data-testid="hit-open">{h.customer_code}</a> }.into_any()
                                    }}
                                </td>
                                <td data-label="代理店名" class="name">{h.name}</td>
                                <td data-label="カナ" class="kana">{h.kana}</td>
                                <td data-label="電話番号" class="phone">{h.phone.unwrap_or_else(|| "—".into())}</td>
                                <td data-label="ランク">{h.rank}</td>
                                <td data-label="販売事業部">{h.division.unwrap_or_else(|| "—".into())}</td>
                                <td data-label="上位店">{upline}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
        // One page only: nothing to page through.
        <div class="pager" hidden=single_page>
            <button
                type="button"
                class="secondary"
                disabled=first
                on:click=move |_| pages.update(|p| {
                    if p.len() > 1 {
                        p.pop();
                    }
                })
            >
                "前の50件"
            </button>
            <button
                type="button"
                class="secondary"
                disabled=next.is_none()
                on:click=move |_| {
                    if let Some(c) = next.clone() {
                        pages.update(|p| p.push(Some(c)));
                    }
                }
            >
                "次の50件"
            </button>
        </div>
    }
}

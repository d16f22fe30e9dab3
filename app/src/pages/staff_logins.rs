use crate::shell::error_view::ErrorView;
use crate::staff::{pending_logins, StaffConsolidate};
use leptos::prelude::*;
use leptos_meta::Title;

/// 全国販社 staff: customers imported with several logins; keep one, retire the others.
#[component]
pub fn StaffLoginsPage() -> impl IntoView {
    let user = expect_context::<crate::model::CurrentUser>();
    if user.rank != crate::model::Rank::National {
        return view! { <crate::shell::refusal::Refusal title="ログイン情報の統合（職員）" hint=crate::shell::refusal::STAFF_ONLY/> }.into_any();
    }
    let consolidate = ServerAction::<StaffConsolidate>::new();
    let list = Resource::new(move || consolidate.version().get(), |_| pending_logins());
    let result = move || consolidate.value().get();
    view! {
        <Title text="ログイン情報の統合 | 業務代行クラウドシステム"/>
        <h1>"ログイン情報の統合（職員）"</h1>
        <p class="hint">
            "旧システムで複数のログイン情報があったお客様です。残すメールアドレスを1つ選んでください。"
            "残す・削除するすべてのメールアドレスへお知らせが送られます。パスワードはお客様ご自身が設定します。"
        </p>
        {move || {
            result()
                .map(|r| match r {
                    Ok(()) => view! { <p class="ok" role="status">"統合しました。"</p> }.into_any(),
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                })
        }}
        <Transition fallback=|| view! { <p class="loading">"読み込み中…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(items) if items.is_empty() => {
                        view! { <p data-testid="no-pending">"統合待ちのお客様はいません。"</p> }.into_any()
                    }
                    Ok(items) => {
                        items
                            .into_iter()
                            .map(|p| {
                                let code = p.customer_code.clone();
                                view! {
                                    <section class="card pending-login">
                                        <h2>{format!("{}（お客様ID {}）", p.name, p.customer_code)}</h2>
                                        <ActionForm action=consolidate attr:class="form" attr:novalidate=true>
                                            <input type="hidden" name="customer_code" value=code/>
                                            {p.emails
                                                .into_iter()
                                                .enumerate()
                                                .map(|(i, e)| {
                                                    view! {
                                                        <label class="checkbox">
                                                            <input type="radio" name="keep_email" value=e.clone() checked=i == 0/>
                                                            {e.clone()}
                                                        </label>
                                                    }
                                                })
                                                .collect_view()}
                                            <button type="submit" class="primary">"このメールアドレスを残す"</button>
                                        </ActionForm>
                                    </section>
                                }
                            })
                            .collect_view()
                            .into_any()
                    }
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
    .into_any()
}

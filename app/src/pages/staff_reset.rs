use crate::model::{CurrentUser, Rank, ResetChannel};
use crate::recovery::StaffStartReset;
use crate::shell::error_view::ErrorView;
use leptos::prelude::*;
use leptos_meta::Title;

/// 全国販社 staff: start a reset for a customer who asked for help. The PIN goes to the
/// customer's registered phone or e-mail; staff see neither, nor the PIN.
#[component]
pub fn StaffResetPage() -> impl IntoView {
    let user = expect_context::<CurrentUser>();
    if user.rank != Rank::National {
        return view! { <crate::shell::refusal::Refusal title="ログイン情報リセットの開始（職員）" hint=crate::shell::refusal::STAFF_ONLY/> }.into_any();
    }
    let start = ServerAction::<StaffStartReset>::new();
    let result = move || start.value().get();
    // Opened from a customer's page as /staff/reset?code=… with the お客様ID filled in.
    let prefill = leptos_router::hooks::use_query_map()
        .with_untracked(|q| q.get("code"))
        .unwrap_or_default();
    view! {
        <Title text="ログイン情報リセットの開始 | 業務代行クラウドシステム"/>
        <h1>"ログイン情報リセットの開始（職員）"</h1>
        <section class="card">
            <p>
                "お客様の登録済みの電話番号またはメールアドレスへPINコードを送ります。職員にはPINコード・送信先・パスワードは表示されません。"
                "お客様には「お問い合わせ → PINコードをお持ちの方」から、お客様IDとPINコードを入力していただきます。"
            </p>
            <ActionForm action=start attr:class="form" attr:novalidate=true>
                <label for="customer_code">"お客様ID（8桁）"</label>
                <input id="customer_code" name="customer_code" inputmode="numeric" maxlength="16" value=prefill/>
                <fieldset class="channels">
                    <legend>"PINコードの通知方法"</legend>
                    {ResetChannel::ALL
                        .into_iter()
                        .map(|c| {
                            view! {
                                <label class="checkbox">
                                    <input type="radio" name="channel" value=c.code() checked=c == ResetChannel::Voice/>
                                    {c.label()}
                                </label>
                            }
                        })
                        .collect_view()}
                </fieldset>
                {move || {
                    result()
                        .map(|r| match r {
                            Ok(()) => {
                                view! { <p class="ok" role="status">"お客様の登録済み連絡先へPINコードを送信しました。"</p> }
                                    .into_any()
                            }
                            Err(e) => view! { <ErrorView error=e/> }.into_any(),
                        })
                }}
                <button type="submit" class="primary" disabled=move || start.pending().get()>
                    "PINコードを送信"
                </button>
            </ActionForm>
        </section>
    }
    .into_any()
}

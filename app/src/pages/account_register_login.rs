use crate::account::RegisterLogin;
use crate::shell::error_view::ErrorView;
use crate::validation::EMAIL_MAX;
use leptos::prelude::*;
use leptos_meta::Title;

/// ログイン情報登録（下位のお客様） (R1): the upline enters a downline customer's e-mail; the
/// customer receives a link and chooses the password alone.
#[component]
pub fn RegisterLoginPage() -> impl IntoView {
    let register = ServerAction::<RegisterLogin>::new();
    let result = move || register.value().get();
    view! {
        <Title text="ログイン情報登録（下位のお客様） | 業務代行クラウドシステム"/>
        <section class="page register-login">
            <h1>"ログイン情報登録（下位のお客様）"</h1>
            <p class="hint">
                "ログイン情報をお持ちでない下位のお客様のメールアドレスを登録します。お客様に確認のメールが届き、パスワードはお客様ご本人がメールのリンクから設定します（24時間以内）。上位店がパスワードを決めたり知ったりすることはありません。"
            </p>
            <ActionForm action=register attr:class="form" attr:novalidate=true>
                <label for="customer_code">"お客様ID（8桁）"</label>
                <input id="customer_code" name="customer_code" inputmode="numeric" autocomplete="off" maxlength="16"/>
                <label for="email">"お客様のメールアドレス"</label>
                <input id="email" type="email" name="email" autocomplete="off" maxlength=EMAIL_MAX/>
                {move || match result() {
                    Some(Ok(())) => view! {
                        <p class="success" role="status">
                            "登録用のメールを送信しました。お客様にメールのリンクからパスワードを設定していただくようお伝えください。メールが届かない場合は、アドレスに誤りがないか、すでに別のお客様のログインに使われているアドレスでないかを、お客様にご確認ください。"
                        </p>
                    }.into_any(),
                    Some(Err(e)) => view! { <ErrorView error=e/> }.into_any(),
                    None => ().into_any(),
                }}
                <button type="submit" class="primary" disabled=move || register.pending().get()>
                    "登録用のメールを送信"
                </button>
            </ActionForm>
        </section>
    }
}

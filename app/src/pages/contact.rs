use crate::model::ResetChannel;
use crate::recovery::RequestResetPin;
use crate::shell::error_view::ErrorView;
use leptos::prelude::*;
use leptos_meta::Title;

/// お問い合わせ: start a reset of login information with the お客様ID and a PIN (R3).
#[component]
pub fn ContactPage() -> impl IntoView {
    let request = ServerAction::<RequestResetPin>::new();
    let channel = RwSignal::new(ResetChannel::Sms);
    let error = move || request.value().get().and_then(Result::err);
    let destination_label = move || {
        if channel.get().uses_phone() {
            "登録されている電話番号"
        } else {
            "登録されているログイン用メールアドレス"
        }
    };
    view! {
        <Title text="お問い合わせ（ログイン情報の再設定） | 業務代行クラウドシステム"/>
        <main class="login-page">
            <div class="login-card wide">
                <h1>"お問い合わせ"</h1>
                <h2>"ログイン情報（メールアドレス・パスワード）の再設定"</h2>
                <p class="hint">
                    "ご本人確認のため、PINコードをお送りします。お客様IDは画面上部、納品書、還元額計算書に記載されています。"
                </p>
                <ActionForm action=request attr:class="form" attr:novalidate=true>
                    <label for="customer_code">"お客様ID（8桁）"</label>
                    <input id="customer_code" name="customer_code" inputmode="numeric" autocomplete="off" maxlength="16"/>
                    <fieldset class="channels">
                        <legend>"PINコードの通知方法"</legend>
                        {ResetChannel::ALL
                            .into_iter()
                            .map(|c| {
                                view! {
                                    <label class="checkbox">
                                        <input
                                            type="radio"
                                            name="channel"
                                            value=c.code()
                                            checked=c == ResetChannel::Sms
                                            on:change=move |_| channel.set(c)
                                        />
                                        {c.label()}
                                    </label>
                                }
                            })
                            .collect_view()}
                    </fieldset>
                    <label for="destination">{destination_label}</label>
                    <input
                        id="destination"
                        name="destination"
                        autocomplete="off"
                        maxlength="254"
                        inputmode=move || if channel.get().uses_phone() { "tel" } else { "email" }
                    />
                    <p class="hint">
                        "ショートメッセージは携帯電話（070・080・090）のみです。メールアドレスを忘れた方は電話番号をお使いください。"
                    </p>
                    {move || error().map(|e| view! { <ErrorView error=e/> })}
                    <button type="submit" class="primary" disabled=move || request.pending().get()>
                        "PINコードを送信"
                    </button>
                </ActionForm>
                <p class="hint">
                    <a href="/contact/enter">"PINコードをお持ちの方（職員にお手続きを依頼した方）"</a>
                </p>
                <p class="hint">
                    <a href="/login">"ログイン画面へ戻る"</a>
                </p>
            </div>
        </main>
    }
}

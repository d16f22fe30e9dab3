use crate::recovery::VerifyResetPinById;
use crate::shell::error_view::ErrorView;
use leptos::prelude::*;
use leptos_meta::Title;

/// お客様ID + PIN, for a PIN that came after staff started the reset.
#[component]
pub fn ContactEnterPage() -> impl IntoView {
    let verify = ServerAction::<VerifyResetPinById>::new();
    let error = move || verify.value().get().and_then(Result::err);
    view! {
        <Title text="PINコードの入力 | 業務代行クラウドシステム"/>
        <main class="login-page">
            <div class="login-card wide">
                <h1>"PINコードをお持ちの方"</h1>
                <p class="hint">"お手続きの依頼後に届いたPINコードを、お客様IDと一緒に入力してください。"</p>
                <ActionForm action=verify attr:class="form" attr:novalidate=true>
                    <label for="customer_code">"お客様ID（8桁）"</label>
                    <input id="customer_code" name="customer_code" inputmode="numeric" maxlength="16"/>
                    <label for="pin">"PINコード（6桁）"</label>
                    <input id="pin" name="pin" inputmode="numeric" autocomplete="one-time-code" maxlength="12"/>
                    {move || error().map(|e| view! { <ErrorView error=e/> })}
                    <button type="submit" class="primary" disabled=move || verify.pending().get()>
                        "確認する"
                    </button>
                </ActionForm>
                <p class="hint">
                    <a href="/contact">"お問い合わせへ戻る"</a>
                </p>
            </div>
        </main>
    }
}

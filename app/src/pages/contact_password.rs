use crate::recovery::SetResetPassword;
use crate::shell::error_view::ErrorView;
use crate::validation::{PASSWORD_MAX, PASSWORD_MIN};
use leptos::prelude::*;
use leptos_meta::Title;

/// The new password, chosen by the customer alone after a verified PIN.
#[component]
pub fn ContactPasswordPage() -> impl IntoView {
    let set = ServerAction::<SetResetPassword>::new();
    let error = move || set.value().get().and_then(Result::err);
    view! {
        <Title text="新しいパスワード | 業務代行クラウドシステム"/>
        <main class="login-page">
            <div class="login-card wide">
                <h1>"新しいパスワードの設定"</h1>
                <p class="hint">
                    {format!("{PASSWORD_MIN}文字以上。他社サービスで使っているパスワードは使わないでください。")}
                </p>
                <ActionForm action=set attr:class="form" attr:novalidate=true>
                    <label for="password">"新しいパスワード"</label>
                    <input id="password" type="password" name="password" autocomplete="new-password" maxlength=PASSWORD_MAX/>
                    <label for="confirm">"新しいパスワード（確認）"</label>
                    <input id="confirm" type="password" name="confirm" autocomplete="new-password" maxlength=PASSWORD_MAX/>
                    {move || error().map(|e| view! { <ErrorView error=e/> })}
                    <button type="submit" class="primary" disabled=move || set.pending().get()>
                        "パスワードを変更"
                    </button>
                </ActionForm>
            </div>
        </main>
    }
}

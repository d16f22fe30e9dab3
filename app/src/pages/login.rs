use crate::auth::Login;
use crate::shell::error_view::ErrorView;
use crate::validation::{EMAIL_MAX, PASSWORD_MAX};
use leptos::prelude::*;
use leptos_meta::Title;

/// ログイン: e-mail + password. Every failure shows one Japanese message.
#[component]
pub fn LoginPage() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    let show_password = RwSignal::new(false);
    let error = move || login.value().get().and_then(Result::err);
    view! {
        <Title text="ログイン | 業務代行クラウドシステム"/>
        <main class="login-page">
            <div class="login-card">
                <h1>"業務代行クラウドシステム"</h1>
                <h2>"ログイン"</h2>
                <ActionForm action=login attr:class="form" attr:novalidate=true>
                    <label for="email">"メールアドレス"</label>
                    <input
                        id="email"
                        type="email"
                        name="email"
                        autocomplete="username"
                        inputmode="email"
                        maxlength=EMAIL_MAX
                    />
                    <label for="password">"パスワード"</label>
                    <input
                        id="password"
                        type=move || if show_password.get() { "text" } else { "password" }
                        name="password"
                        autocomplete="current-password"
                        maxlength=PASSWORD_MAX
                    />
                    <label class="checkbox">
                        <input
                            type="checkbox"
                            name="show_password_toggle"
                            form="none"
                            on:change=move |ev| show_password.set(event_target_checked(&ev))
                        />
                        "パスワードを表示する"
                    </label>
                    {move || error().map(|e| view! { <ErrorView error=e/> })}
                    <button type="submit" class="primary" disabled=move || login.pending().get()>
                        {move || if login.pending().get() { "ログイン中…" } else { "ログイン" }}
                    </button>
                </ActionForm>
                <p class="hint">
                    "ログイン情報（メールアドレスおよびパスワード）はご本人以外に案内できません。"
                    "お忘れの場合や変更したい場合は、"
                    <a href="/contact">"お問い合わせ"</a>
                    "からご自身で再設定してください。"
                </p>
            </div>
        </main>
    }
}

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ContactDonePage() -> impl IntoView {
    view! {
        <Title text="変更しました | 業務代行クラウドシステム"/>
        <main class="login-page">
            <div class="login-card wide">
                <h1>"パスワードを変更しました"</h1>
                <p role="status">
                    "すべての端末でログアウトしました。変更のお知らせをメールでお送りしています。新しいパスワードでログインしてください。"
                </p>
                <a class="primary button" href="/login">"ログイン画面へ"</a>
            </div>
        </main>
    }
}

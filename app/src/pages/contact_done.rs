use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ContactDonePage() -> impl IntoView {
    // Set by the reset when a new login e-mail was asked for; the same whether or not the
    // address was free (the link or a notice went to it).
    let query = use_query_map();
    let email = move || query.read().get("email").is_some();
    view! {
        <Title text="変更しました | 業務代行クラウドシステム"/>
        <main class="login-page">
            <div class="login-card wide">
                <h1>"パスワードを変更しました"</h1>
                <p role="status">
                    "すべての端末でログアウトしました。変更のお知らせをメールでお送りしています。新しいパスワードでログインしてください。"
                </p>
                {move || email().then(|| view! {
                    <p data-testid="email-link-sent">
                        "新しいメールアドレスに確認用のリンクをお送りしました。リンク（24時間有効）を開くと、ログイン用メールアドレスが変わります。それまでは現在のメールアドレスでログインしてください。"
                    </p>
                })}
                <a class="primary button" href="/login">"ログイン画面へ"</a>
            </div>
        </main>
    }
}

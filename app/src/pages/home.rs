use crate::model::CurrentUser;
use leptos::prelude::*;
use leptos_meta::Title;

/// トップ: the signed-in customer's own details.
#[component]
pub fn HomePage() -> impl IntoView {
    let user = expect_context::<CurrentUser>();
    let upline = match (&user.upline_code, &user.upline_name) {
        (Some(c), Some(n)) => format!("{n}（{c}）"),
        _ => "なし".into(),
    };
    view! {
        <Title text="トップ | 業務代行クラウドシステム"/>
        <h1>"トップ"</h1>
        <section class="card">
            <h2>"お客様情報"</h2>
            <dl class="details">
                <dt>"お客様ID"</dt>
                <dd data-testid="home-customer-id">{user.customer_code.clone()}</dd>
                <dt>"代理店名"</dt>
                <dd>{user.name.clone()}</dd>
                <dt>"カナ"</dt>
                <dd>{user.kana.clone()}</dd>
                <dt>"ランク"</dt>
                <dd>{user.rank.label()}</dd>
                <dt>"販売事業部"</dt>
                <dd>{user.division_name.clone().unwrap_or_else(|| "所属なし".into())}</dd>
                <dt>"上位店"</dt>
                <dd>{upline}</dd>
                <dt>"会員登録"</dt>
                <dd>{if user.can_register { "あり" } else { "なし" }}</dd>
                <dt>"画面"</dt>
                <dd>{user.screen.label()}</dd>
            </dl>
        </section>
        {(user.rank == crate::model::Rank::National)
            .then(|| {
                view! {
                    <section class="card">
                        <h2>"職員メニュー"</h2>
                        <p>
                            <a href="/staff/reset">"お客様のログイン情報リセットを開始する"</a>
                        </p>
                        <p>
                            <a href="/staff/logins">"複数ログイン情報の統合"</a>
                        </p>
                    </section>
                }
            })}
        <section class="card notice">
            <h2>"ログイン情報について"</h2>
            <p>
                "お客様ごとに設定できるログイン情報は1つです。職員の方が退職された場合などは、メールアドレスまたはパスワードの変更をおすすめします。"
            </p>
            <p>"他社サービスで利用しているパスワードを使いまわさないでください。"</p>
        </section>
    }
}

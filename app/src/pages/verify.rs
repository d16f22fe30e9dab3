use crate::account::{verification_link, ConfirmEmailChange, LinkPurpose, SetLoginPassword};
use crate::shell::error_view::ErrorView;
use crate::validation::{PASSWORD_MAX, PASSWORD_MIN};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// The page a verification link opens: the password form (login registration, R1) or the
/// confirmation of a new login e-mail (R2). Public: the link itself is the proof.
#[component]
pub fn VerifyPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let info = Resource::new(token, verification_link);
    view! {
        <Title text="メールアドレスの確認 | 業務代行クラウドシステム"/>
        <main class="login-page">
            <div class="login-card wide">
                <Suspense fallback=|| view! { <p class="loading">"読み込み中…"</p> }>
                    {move || Suspend::new(async move {
                        match info.await {
                            Ok(i) if i.purpose == LinkPurpose::SetLogin => {
                                view! { <SetPasswordForm token=token() email=i.email/> }.into_any()
                            }
                            Ok(i) => view! { <ConfirmEmailForm token=token() email=i.email/> }.into_any(),
                            Err(e) => view! {
                                <h1>"メールアドレスの確認"</h1>
                                <ErrorView error=e/>
                                <p class="hint">
                                    "リンクは24時間有効で、一度だけ使えます。期限が切れた場合は、もう一度手続きをしてください。"
                                </p>
                                <p class="hint"><a href="/login">"ログイン画面へ"</a></p>
                            }.into_any(),
                        }
                    })}
                </Suspense>
            </div>
        </main>
    }
}

#[component]
fn SetPasswordForm(token: String, email: String) -> impl IntoView {
    let set = ServerAction::<SetLoginPassword>::new();
    let result = move || set.value().get();
    view! {
        <h1>"ログイン情報の登録"</h1>
        <p>"ログイン用メールアドレス: " <strong>{email}</strong></p>
        <p class="hint">
            {format!("パスワードを決めてください（{PASSWORD_MIN}文字以上）。パスワードはご本人だけが知るもので、上位店や職員を含め、ほかの誰にも知られることはありません。他社サービスで使っているパスワードは使わないでください。")}
        </p>
        {move || match result() {
            Some(Ok(())) => view! {
                <p class="success" role="status">"ログイン情報を登録しました。"</p>
                <p><a href="/login">"ログイン画面へ"</a></p>
            }.into_any(),
            other => {
                let error = other.and_then(Result::err);
                let token = token.clone();
                view! {
                    <ActionForm action=set attr:class="form" attr:novalidate=true>
                        <input type="hidden" name="token" value=token/>
                        <label for="password">"パスワード"</label>
                        <input id="password" type="password" name="password" autocomplete="new-password" maxlength=PASSWORD_MAX/>
                        <label for="confirm">"パスワード（確認）"</label>
                        <input id="confirm" type="password" name="confirm" autocomplete="new-password" maxlength=PASSWORD_MAX/>
                        {error.map(|e| view! { <ErrorView error=e/> })}
                        <button type="submit" class="primary" disabled=move || set.pending().get()>
                            "登録する"
                        </button>
                    </ActionForm>
                }.into_any()
            }
        }}
    }
}

#[component]
fn ConfirmEmailForm(token: String, email: String) -> impl IntoView {
    let confirm = ServerAction::<ConfirmEmailChange>::new();
    let result = move || confirm.value().get();
    view! {
        <h1>"ログイン用メールアドレスの変更"</h1>
        <p>"新しいログイン用メールアドレス: " <strong>{email}</strong></p>
        {move || match result() {
            Some(Ok(())) => view! {
                <p class="success" role="status">
                    "ログイン用メールアドレスを変更しました。これからは新しいメールアドレスでログインしてください。"
                </p>
                <p><a href="/login">"ログイン画面へ"</a></p>
            }.into_any(),
            other => {
                let error = other.and_then(Result::err);
                let token = token.clone();
                view! {
                    <ActionForm action=confirm attr:class="form">
                        <input type="hidden" name="token" value=token/>
                        {error.map(|e| view! { <ErrorView error=e/> })}
                        <button type="submit" class="primary" disabled=move || confirm.pending().get()>
                            "変更を確定する"
                        </button>
                    </ActionForm>
                }.into_any()
            }
        }}
    }
}

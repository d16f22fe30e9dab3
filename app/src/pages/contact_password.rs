use crate::error::AppError;
use crate::recovery::{reset_account, SetResetPassword};
use crate::shell::error_view::ErrorView;
use crate::validation::{EMAIL_MAX, PASSWORD_MAX, PASSWORD_MIN};
use leptos::prelude::*;
use leptos_meta::Title;

/// After a right PIN: the login e-mail (masked), a new password chosen by the customer alone
/// and, optionally, a new login e-mail. Without a live grant only the error is shown.
#[component]
pub fn ContactPasswordPage() -> impl IntoView {
    let account = Resource::new(|| (), |_| reset_account());
    view! {
        <Title text="ログイン情報の再設定 | 業務代行クラウドシステム"/>
        <main class="login-page">
            <div class="login-card wide">
                <h1>"ログイン情報の再設定"</h1>
                <Suspense fallback=|| view! { <p class="loading">"読み込み中…"</p> }>
                    {move || Suspend::new(async move {
                        match account.await {
                            Ok(a) => view! { <ResetForm masked_email=a.masked_email/> }.into_any(),
                            Err(e) => {
                                let again = e == AppError::ResetExpired;
                                view! {
                                    <ErrorView error=e/>
                                    {again.then(|| view! { <p class="hint"><a href="/contact">"お問い合わせへ戻る"</a></p> })}
                                }
                                    .into_any()
                            }
                        }
                    })}
                </Suspense>
            </div>
        </main>
    }
}

#[component]
fn ResetForm(masked_email: String) -> impl IntoView {
    let set = ServerAction::<SetResetPassword>::new();
    let error = move || set.value().get().and_then(Result::err);
    view! {
        <p>
            "現在のログイン用メールアドレス: "
            <strong data-testid="masked-email">{masked_email}</strong>
        </p>
        <ActionForm action=set attr:class="form" attr:novalidate=true>
            <label for="password">"新しいパスワード"</label>
            <input id="password" type="password" name="password" autocomplete="new-password" maxlength=PASSWORD_MAX/>
            <label for="confirm">"新しいパスワード（確認）"</label>
            <input id="confirm" type="password" name="confirm" autocomplete="new-password" maxlength=PASSWORD_MAX/>
            <p class="hint">
                {format!("{PASSWORD_MIN}文字以上。他社サービスで使っているパスワードは使わないでください。")}
            </p>
            <label for="new_email">"新しいメールアドレス（変更する場合のみ）"</label>
            <input id="new_email" type="email" name="new_email" autocomplete="email" maxlength=EMAIL_MAX/>
            <p class="hint">
                "入力すると、そのアドレスに確認用のリンクをお送りします。リンクを開くとログイン用メールアドレスが変わります。それまでは現在のメールアドレスでログインできます。"
            </p>
            {move || error().map(|e| view! { <ErrorView error=e/> })}
            <button type="submit" class="primary" disabled=move || set.pending().get()>
                "再設定する"
            </button>
        </ActionForm>
    }
}

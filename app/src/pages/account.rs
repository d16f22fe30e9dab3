use crate::account::{
    list_sessions, ChangePassword, EndOtherSessions, EndSession, RequestEmailChange,
};
use crate::shell::error_view::ErrorView;
use crate::validation::{EMAIL_MAX, PASSWORD_MAX, PASSWORD_MIN};
use leptos::prelude::*;
use leptos_meta::Title;

/// ログイン情報の変更 (R2): the password and the login e-mail, both self-service; each change
/// ends every other session and is told by mail. Below, the login's live sessions (#9), each
/// of the others can be ended.
#[component]
pub fn AccountPage() -> impl IntoView {
    let password = ServerAction::<ChangePassword>::new();
    let email = ServerAction::<RequestEmailChange>::new();
    let end_one = ServerAction::<EndSession>::new();
    let end_others = ServerAction::<EndOtherSessions>::new();
    // Listed again after anything that ends sessions.
    let sessions = Resource::new(
        move || {
            (
                end_one.version().get(),
                end_others.version().get(),
                password.version().get(),
            )
        },
        |_| list_sessions(),
    );
    let password_result = move || password.value().get();
    let email_result = move || email.value().get();
    view! {
        <Title text="ログイン情報の変更 | 業務代行クラウドシステム"/>
        <section class="page account">
            <h1>"ログイン情報の変更"</h1>
            <p class="notice" data-testid="staff-advice">
                "担当の方が退職・異動されたときは、ログイン用メールアドレスまたはパスワードを変更してください。変更すると、ほかの端末はすべてログアウトされます。"
            </p>

            <h2>"パスワードの変更"</h2>
            <ActionForm action=password attr:class="form" attr:novalidate=true>
                <label for="pw_current">"現在のパスワード"</label>
                <input id="pw_current" type="password" name="current" autocomplete="current-password" maxlength=PASSWORD_MAX/>
                <label for="pw_new">"新しいパスワード"</label>
                <input id="pw_new" type="password" name="password" autocomplete="new-password" maxlength=PASSWORD_MAX/>
                <label for="pw_confirm">"新しいパスワード（確認）"</label>
                <input id="pw_confirm" type="password" name="confirm" autocomplete="new-password" maxlength=PASSWORD_MAX/>
                <p class="hint">
                    {format!("{PASSWORD_MIN}文字以上。他社サービスで使っているパスワードは使わないでください。")}
                </p>
                {move || match password_result() {
                    Some(Ok(())) => view! {
                        <p class="success" role="status">
                            "パスワードを変更しました。ほかの端末はログアウトされました。"
                        </p>
                    }.into_any(),
                    Some(Err(e)) => view! { <ErrorView error=e/> }.into_any(),
                    None => ().into_any(),
                }}
                <button type="submit" class="primary" disabled=move || password.pending().get()>
                    "パスワードを変更"
                </button>
            </ActionForm>

            <h2>"ログイン用メールアドレスの変更"</h2>
            <p class="hint">
                "新しいメールアドレスに確認のメールをお送りします。メールのリンクを開くと変更が確定します（24時間以内）。それまでは現在のメールアドレスでログインできます。"
            </p>
            <ActionForm action=email attr:class="form" attr:novalidate=true>
                <label for="em_new">"新しいメールアドレス"</label>
                <input id="em_new" type="email" name="email" autocomplete="email" maxlength=EMAIL_MAX/>
                <label for="em_current">"現在のパスワード"</label>
                <input id="em_current" type="password" name="current" autocomplete="current-password" maxlength=PASSWORD_MAX/>
                {move || match email_result() {
                    Some(Ok(())) => view! {
                        <p class="success" role="status">
                            "確認のメールを送信しました。新しいメールアドレスに届いたメールのリンクを開いてください。"
                        </p>
                    }.into_any(),
                    Some(Err(e)) => view! { <ErrorView error=e/> }.into_any(),
                    None => ().into_any(),
                }}
                <button type="submit" class="primary" disabled=move || email.pending().get()>
                    "確認メールを送信"
                </button>
            </ActionForm>

            <h2 id="sessions">"ログイン中の端末"</h2>
            <p class="hint">
                "心当たりのない端末があれば、ログアウトさせてからパスワードを変更してください。"
            </p>
            <Transition fallback=|| view! { <p class="loading">"読み込み中…"</p> }>
                {move || Suspend::new(async move {
                    match sessions.await {
                        Ok(list) => {
                            let others = list.iter().filter(|s| !s.current).count();
                            view! {
                                <ul class="sessions" data-testid="sessions">
                                    {list
                                        .into_iter()
                                        .map(|s| view! { <SessionRow s end_one/> })
                                        .collect_view()}
                                </ul>
                                {(others > 0)
                                    .then(|| {
                                        view! {
                                            <ActionForm action=end_others attr:class="sessions-end-all">
                                                <button type="submit" class="secondary" disabled=move || end_others.pending().get()>
                                                    "他の端末をすべてログアウト"
                                                </button>
                                            </ActionForm>
                                        }
                                    })}
                            }
                                .into_any()
                        }
                        Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    }
                })}
            </Transition>
            {move || match end_others.value().get() {
                Some(Ok(n)) => view! {
                    <p class="success" role="status">{format!("{n}台の端末をログアウトしました。")}</p>
                }.into_any(),
                Some(Err(e)) => view! { <ErrorView error=e/> }.into_any(),
                None => ().into_any(),
            }}
            {move || end_one.value().get().and_then(Result::err).map(|e| view! { <ErrorView error=e/> })}
        </section>
    }
}

/// One session: browser, when it logged in, when it was last used; この端末 for the one in
/// use, a button for each other.
#[component]
fn SessionRow(s: crate::account::SessionInfo, end_one: ServerAction<EndSession>) -> impl IntoView {
    let current = s.current;
    view! {
        <li class="session" data-current=current.to_string() data-testid="session">
            <div class="session-head">
                <strong class="session-browser">{s.browser}</strong>
                {current.then(|| view! { <span class="badge">"この端末"</span> })}
            </div>
            <dl class="session-times">
                <dt>"ログイン"</dt>
                <dd>{s.started}</dd>
                <dt>"最終操作"</dt>
                <dd>{s.last_seen}</dd>
            </dl>
            {(!current)
                .then(|| {
                    view! {
                        <ActionForm action=end_one attr:class="session-end">
                            <input type="hidden" name="handle" value=s.handle/>
                            <button type="submit" class="secondary" disabled=move || end_one.pending().get()>
                                "ログアウトさせる"
                            </button>
                        </ActionForm>
                    }
                })}
        </li>
    }
}

use crate::error::AppError;
use crate::model::{Delivery, PinStatus};
use crate::recovery::{pin_status, ResendResetPin, VerifyResetPin};
use crate::shell::error_view::ErrorView;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// Seconds between status fetches while the message is queued, and once it has left.
const FAST_POLL: u32 = 2;
const SLOW_POLL: u32 = 15;

/// PIN entry: the deadline in JST, the delivery state (refreshed every few seconds), resend.
#[component]
pub fn ContactPinPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let verify = ServerAction::<VerifyResetPin>::new();
    let resend = ServerAction::<ResendResetPin>::new();
    // Live delivery state without a socket: a one-second clock, and a fetch every
    // FAST_POLL seconds while the message is still being sent, every SLOW_POLL once it is
    // settled (only the deadline and the resend countdown still change). A resend starts
    // a new message, so it brings the fast pace back.
    let seconds = RwSignal::new(0u32);
    let settled = RwSignal::new(false);
    Effect::new(move |_| {
        if let Ok(h) = set_interval_with_handle(
            move || seconds.update(|t| *t += 1),
            std::time::Duration::from_secs(1),
        ) {
            on_cleanup(move || h.clear());
        }
    });
    let poll = Memo::new(move |_| {
        let pace = if settled.get() { SLOW_POLL } else { FAST_POLL };
        seconds.get() / pace
    });
    let status = Resource::new(
        move || (id(), poll.get(), resend.version().get()),
        |(id, _, _)| pin_status(id),
    );
    // Seconds until a resend is allowed: taken from each status and counted down by the clock
    // above in between, so the button is disabled exactly as long as the server would refuse.
    let cooldown = RwSignal::new(0i64);
    Effect::new(move |_| {
        if let Some(Ok(s)) = status.get() {
            cooldown.set(s.resend_in.max(0));
            settled.set(s.expired || s.delivery != Delivery::Sending);
        }
    });
    Effect::new(move |_| {
        seconds.track();
        cooldown.update(|c| *c = (*c - 1).max(0));
    });
    let verify_error = move || verify.value().get().and_then(Result::err);
    let resend_result = move || resend.value().get();
    view! {
        <Title text="PINコードの入力 | 業務代行クラウドシステム"/>
        <main class="login-page">
            <div class="login-card wide">
                <h1>"PINコードの入力"</h1>
                <Transition fallback=|| view! { <p class="loading">"読み込み中…"</p> }>
                    {move || Suspend::new(async move {
                        match status.await {
                            Ok(s) => view! { <StatusBox status=s/> }.into_any(),
                            Err(e) => view! { <ErrorView error=e/> }.into_any(),
                        }
                    })}
                </Transition>
                <ActionForm action=verify attr:class="form" attr:novalidate=true>
                    <input type="hidden" name="id" value=id/>
                    <label for="pin">"PINコード（6桁）"</label>
                    <input id="pin" name="pin" inputmode="numeric" autocomplete="one-time-code" maxlength="12"/>
                    {move || verify_error().map(|e| view! { <VerifyError error=e/> })}
                    <button type="submit" class="primary" disabled=move || verify.pending().get()>
                        "確認する"
                    </button>
                </ActionForm>
                <ActionForm action=resend attr:class="form resend">
                    <input type="hidden" name="id" value=id/>
                    <button
                        type="submit"
                        class="secondary"
                        data-testid="resend"
                        disabled=move || { resend.pending().get() || cooldown.get() != 0 }
                    >
                        {move || match cooldown.get() {
                            0 => "同じPINコードを再送信".to_string(),
                            n => format!("同じPINコードを再送信（あと{n}秒）"),
                        }}
                    </button>
                    {move || {
                        resend_result()
                            .map(|r| match r {
                                Ok(()) => view! { <p class="ok" role="status">"再送信しました。"</p> }.into_any(),
                                Err(e) => view! { <ErrorView error=e/> }.into_any(),
                            })
                    }}
                </ActionForm>
                <p class="hint">
                    <a href="/contact">"最初からやり直す（別の通知方法を選ぶ）"</a>
                </p>
            </div>
        </main>
    }
}

#[component]
fn StatusBox(status: PinStatus) -> impl IntoView {
    let delivery = match status.delivery {
        Delivery::Sending => "送信処理中です。",
        Delivery::Sent => "送信しました。届くまでしばらくお待ちください。",
        Delivery::Failed => "送信できませんでした。別の通知方法をお試しください。",
    };
    view! {
        <div class="card pin-status" data-delivery=format!("{:?}", status.delivery)>
            <p>
                "ご登録内容と一致した場合、" {status.channel.label()} "でPINコードをお送りしました。"
            </p>
            {if status.expired {
                view! { <p class="error-box" role="alert">"PINコードの有効期限が切れました。もう一度PINコードを発行してください。"</p> }
                    .into_any()
            } else {
                view! {
                    <p class="deadline">
                        <strong data-testid="deadline">{status.deadline.clone()}</strong>
                        " までにPINコードを入力してください。"
                    </p>
                }
                    .into_any()
            }}
            <p class="hint" data-testid="delivery">{delivery}</p>
        </div>
    }
}

#[component]
fn VerifyError(error: AppError) -> impl IntoView {
    let again = matches!(
        error,
        AppError::PinExpired | AppError::PinLocked | AppError::PinUsed
    );
    view! {
        <ErrorView error=error/>
        {again.then(|| view! { <a class="again" href="/contact">"もう一度PINコードを発行する"</a> })}
    }
}

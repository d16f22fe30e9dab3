use crate::recovery::dev_outbox;
use crate::shell::error_view::ErrorView;
use leptos::prelude::*;
use leptos_meta::Title;

/// Development only (`DAIKO_DEV_OUTBOX=1`): the messages the system would have sent.
#[component]
pub fn DevOutboxPage() -> impl IntoView {
    let items = Resource::new(|| (), |_| dev_outbox());
    view! {
        <Title text="開発用送信箱"/>
        <main class="content">
            <h1>"開発用送信箱（outbox）"</h1>
            <p class="hint">"開発環境でのみ表示されます。実際には送信されていません。"</p>
            <Suspense fallback=|| view! { <p class="loading">"読み込み中…"</p> }>
                {move || Suspend::new(async move {
                    match items.await {
                        Ok(list) => {
                            list.into_iter()
                                .map(|m| {
                                    view! {
                                        <section class="card outbox-item" data-channel=m.channel.clone()>
                                            <h2>{format!("#{} {} → {}", m.id, m.channel, m.recipient)}</h2>
                                            <p class="hint">{format!("{} / {}", m.created_at, m.status)}</p>
                                            {(!m.subject.is_empty()).then(|| view! { <p><strong>{m.subject.clone()}</strong></p> })}
                                            <pre>{m.body}</pre>
                                        </section>
                                    }
                                })
                                .collect_view()
                                .into_any()
                        }
                        Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

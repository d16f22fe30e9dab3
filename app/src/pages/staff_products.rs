//! 商品管理 (/staff/products), 全国販社 staff only: list and search, add, edit, 取扱停止.
use crate::domain::yen;
use crate::model::{CurrentUser, Rank};
use crate::orders::ProductView;
use crate::products::{staff_products, SaveProduct, SetProductActive};
use crate::shell::error_view::ErrorView;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn StaffProductsPage() -> impl IntoView {
    let user = expect_context::<CurrentUser>();
    if user.rank != Rank::National {
        return view! { <crate::shell::refusal::Refusal title="商品管理（職員）" hint=crate::shell::refusal::STAFF_ONLY/> }.into_any();
    }
    let save = ServerAction::<SaveProduct>::new();
    let set_active = ServerAction::<SetProductActive>::new();
    let q = RwSignal::new(String::new());
    let list = Resource::new(
        move || (q.get(), save.version().get(), set_active.version().get()),
        |(q, _, _)| staff_products(q),
    );
    // None: the form adds a product; Some: it edits that one.
    let editing = RwSignal::new(None::<ProductView>);
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            editing.set(None);
        }
    });
    view! {
        <Title text="商品管理 | 業務代行クラウドシステム"/>
        <h1>"商品管理（職員）"</h1>
        <section class="card">
            <h2>
                {move || match editing.get() {
                    Some(p) => format!("商品の変更（{}）", p.code),
                    None => "商品の追加".to_string(),
                }}
            </h2>
            {move || {
                let p = editing.get();
                let original = p.as_ref().map(|p| p.code.clone()).unwrap_or_default();
                let v = |f: fn(&ProductView) -> String| p.as_ref().map(f).unwrap_or_default();
                let (code, name, kana, price, picture) = (
                    v(|p| p.code.clone()),
                    v(|p| p.name.clone()),
                    v(|p| p.kana.clone()),
                    v(|p| p.price_yen.to_string()),
                    v(|p| p.picture.clone().unwrap_or_default()),
                );
                let rate = p.as_ref().map(|p| p.tax_rate_percent).unwrap_or(10);
                let active = p.as_ref().map(|p| p.active).unwrap_or(true);
                view! {
                    <ActionForm action=save attr:class="form product-form" attr:novalidate=true>
                        <input type="hidden" name="original_code" value=original/>
                        <label for="p-code">"商品コード（半角英大文字・数字・ハイフン）"</label>
                        <input id="p-code" name="code" type="text" maxlength="20" value=code/>
                        <label for="p-name">"商品名"</label>
                        <input id="p-name" name="name" type="text" maxlength="100" value=name/>
                        <label for="p-kana">"商品名カナ"</label>
                        <input id="p-kana" name="kana" type="text" maxlength="100" value=kana/>
                        <label for="p-price">"価格（税抜・円）"</label>
                        <input
                            id="p-price"
                            name="price_yen"
                            type="text"
                            inputmode="numeric"
                            value=price
                        />
                        <fieldset class="channels">
                            <legend>"消費税率"</legend>
                            <label class="checkbox">
                                <input type="radio" name="tax_rate_percent" value="10" checked=rate == 10/>
                                "10%"
                            </label>
                            <label class="checkbox">
                                <input type="radio" name="tax_rate_percent" value="8" checked=rate == 8/>
                                "8%（軽減税率・食品）"
                            </label>
                        </fieldset>
                        <label for="p-picture">"画像のパス（例: /products/a-1001.svg）"</label>
                        <input
                            id="p-picture"
                            name="picture"
                            type="text"
                            value=picture
                        />
                        <label class="checkbox">
                            <input type="checkbox" name="active" value="on" checked=active/>
                            "取扱中"
                        </label>
                        <button type="submit" class="primary" disabled=move || save.pending().get()>
                            "保存する"
                        </button>
                    </ActionForm>
                }
            }}
            {move || {
                editing
                    .get()
                    .is_some()
                    .then(|| {
                        view! {
                            <button type="button" class="secondary" on:click=move |_| editing.set(None)>
                                "変更をやめて新しい商品を追加する"
                            </button>
                        }
                    })
            }}
            {move || {
                save.value()
                    .get()
                    .map(|r| match r {
                        Ok(p) => {
                            view! { <p class="ok" role="status">{format!("{} を保存しました。", p.code)}</p> }
                                .into_any()
                        }
                        Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    })
            }}
        </section>
        <section class="card">
            <h2>"商品一覧"</h2>
            <input
                class="product-filter"
                type="search"
                placeholder="商品名・カナ・商品コードで絞り込み"
                on:input=move |ev| q.set(event_target_value(&ev))
            />
            {move || set_active.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorView error=e/> })}
            <Transition fallback=|| view! { <p class="loading">"読み込み中…"</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(items) => {
                            view! {
                                <table class="staff-products">
                                    <thead>
                                        <tr>
                                            <th>"コード"</th>
                                            <th>"商品名"</th>
                                            <th class="num">"価格（税抜）"</th>
                                            <th class="num">"税率"</th>
                                            <th>"状態"</th>
                                            <th><span class="visually-hidden">"操作"</span></th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {items
                                            .into_iter()
                                            .map(|p| {
                                                let edit = p.clone();
                                                let code = p.code.clone();
                                                let now_active = p.active;
                                                view! {
                                                    <tr data-code=p.code.clone() class:inactive=!p.active>
                                                        <td data-label="コード">{p.code.clone()}</td>
                                                        <td data-label="商品名">
                                                            {p.name.clone()} <br/>
                                                            <span class="hint">{p.kana.clone()}</span>
                                                        </td>
                                                        <td class="num" data-label="価格（税抜）">{yen(p.price_yen)}</td>
                                                        <td class="num" data-label="税率">{format!("{}%", p.tax_rate_percent)}</td>
                                                        <td data-label="状態">{if p.active { "取扱中" } else { "取扱停止" }}</td>
                                                        <td class="row-actions">
                                                            <button
                                                                type="button"
                                                                class="secondary"
                                                                on:click=move |_| editing.set(Some(edit.clone()))
                                                            >
                                                                "変更"
                                                            </button>
                                                            <button
                                                                type="button"
                                                                class="secondary"
                                                                on:click=move |_| {
                                                                    set_active
                                                                        .dispatch(SetProductActive {
                                                                            code: code.clone(),
                                                                            active: !now_active,
                                                                        });
                                                                }
                                                            >
                                                                {if now_active { "取扱停止" } else { "取扱再開" }}
                                                            </button>
                                                        </td>
                                                    </tr>
                                                }
                                            })
                                            .collect_view()}
                                    </tbody>
                                </table>
                            }
                                .into_any()
                        }
                        Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
    .into_any()
}

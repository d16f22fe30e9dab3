use crate::auth::Logout;
use crate::model::{CurrentUser, Rank};
use leptos::prelude::*;

/// The top bar. The お客様ID comes first and stays visible at every width and scroll
/// position (R7: the bar is sticky).
#[component]
pub fn Header(user: CurrentUser) -> impl IntoView {
    let logout = ServerAction::<Logout>::new();
    let menu_open = RwSignal::new(false);
    let master = master_menu(&user);
    // Client-side navigation keeps the header mounted, so the phone menu would stay open
    // over the next page: fold it whenever the path changes.
    let location = leptos_router::hooks::use_location();
    Effect::new(move |_| {
        location.pathname.track();
        menu_open.set(false);
    });
    view! {
        <header class="topbar">
            <div class="topbar-row">
                <a class="brand" href="/">"業務代行クラウドシステム"</a>
                <div class="customer-id" data-testid="customer-id">
                    <span class="label">"お客様ID"</span>
                    <strong class="value">{user.customer_code.clone()}</strong>
                </div>
                <div class="customer-name">
                    <span data-testid="customer-name">{user.name.clone()}</span>
                    <span class="rank">{user.rank.label()}</span>
                </div>
                <button
                    type="button"
                    class="menu-toggle"
                    aria-controls="main-nav"
                    aria-expanded=move || menu_open.get().to_string()
                    on:click=move |_| menu_open.update(|o| *o = !*o)
                >
                    {move || if menu_open.get() { "閉じる" } else { "メニュー" }}
                </button>
            </div>
            // Any choice in the menu (a link or ログアウト) also folds it, before the route changes.
            <nav
                id="main-nav"
                class="main-nav"
                class:open=move || menu_open.get()
                on:click=move |_| menu_open.set(false)
            >
                <a href="/">"トップ"</a>
                <a href="/order" data-testid="nav-order">"発注"</a>
                <a href="/orders" data-testid="nav-orders">"注文履歴"</a>
                <a href="/documents/rebate" data-testid="nav-rebate">"還元額計算書"</a>
                {(user.rank == Rank::National)
                    .then(|| {
                        view! {
                            <a href="/staff/orders" data-testid="nav-staff-orders">"受注管理"</a>
                            <a href="/staff/products" data-testid="nav-staff-products">"商品管理"</a>
                            <a href="/staff/rebate-rates" data-testid="nav-staff-rebate-rates">"還元率の設定"</a>
                            <a href="/staff/audit" data-testid="nav-staff-audit">"監査ログ"</a>
                            <a href="/staff/rebate-close" data-testid="nav-staff-rebate-close">"還元額の締め"</a>
                        }
                    })}
                <a href="/account">"ログイン情報の変更"</a>
                <a href="/account/register-login">"ログイン情報登録（下位のお客様）"</a>
                {(!master.is_empty())
                    .then(|| {
                        view! {
                            <span class="nav-group" id="master-menu" aria-label="マスタメンテ">
                                <span class="nav-group-label">"マスタメンテ"</span>
                                {master
                                    .into_iter()
                                    .map(|(href, label)| view! { <a href=href>{label}</a> })
                                    .collect_view()}
                            </span>
                        }
                    })}
                <ActionForm action=logout attr:class="logout-form">
                    <button type="submit" class="link-button">"ログアウト"</button>
                </ActionForm>
            </nav>
        </header>
    }
}

/// The マスタメンテ entries this user may open, as (path, label), in menu order. Each
/// feature adds its line here with its own permission check.
fn master_menu(user: &CurrentUser) -> Vec<(&'static str, &'static str)> {
    let mut items = Vec::new();
    if crate::customers::may_search(user.rank, user.can_register) {
        items.push(("/master/customers", "顧客検索"));
        items.push(("/master/network", "ネットワーク"));
    }
    if crate::domain::rank::ultra_to_hansha_registered(user.rank, user.can_register) {
        items.push(("/master/agency/register", "販売事業部新規顧客登録"));
    }
    if user.rank == crate::model::Rank::National {
        items.push(("/staff/customers/new", "お客様の登録・変更（全国販社）"));
    }
    items
}

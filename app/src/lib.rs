//! Daiko's application: pages, components and the server functions they call.
//! Server-only code lives in [`server`], compiled with the `ssr` feature.
#![recursion_limit = "256"]

pub mod account;
pub mod auth;
pub mod customers;
pub mod documents;
pub mod domain;
pub mod error;
pub mod model;
pub mod order_admin;
pub mod orders;
pub mod pages;
pub mod products;
pub mod recovery;
pub mod routes;
pub mod shell;
pub mod staff;
pub mod validation;

#[cfg(feature = "ssr")]
pub mod server;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::{
    components::{ParentRoute, Route, Router, Routes},
    path, Lazy,
};

/// The HTML document around the app (rendered on the server only).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="ja">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" href="/favicon.ico" sizes="48x48"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options=options.clone()/>
                // Server-rendered: the name carries the build's content hash when there is one.
                <HashedStylesheet options=options.clone() id="leptos"/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // `<body data-hydrated>` (end-to-end tests wait for it) is set by frontend's hydrate() once
    // the opened route, lazily loaded, has been hydrated too.
    view! {
        <Title text="業務代行クラウドシステム"/>
        <Router>
            <Routes fallback=pages::not_found::NotFound>
                <Route path=path!("/login") view=pages::login::LoginPage/>
                <Route path=path!("/contact") view={Lazy::<routes::ContactRoute>::new()}/>
                <Route path=path!("/contact/pin/:id") view={Lazy::<routes::ContactPinRoute>::new()}/>
                <Route path=path!("/contact/new-password") view={Lazy::<routes::ContactPasswordRoute>::new()}/>
                <Route path=path!("/contact/done") view={Lazy::<routes::ContactDoneRoute>::new()}/>
                <Route path=path!("/contact/enter") view={Lazy::<routes::ContactEnterRoute>::new()}/>
                <Route path=path!("/dev/outbox") view={Lazy::<routes::DevOutboxRoute>::new()}/>
                <Route path=path!("/verify/:token") view={Lazy::<routes::VerifyRoute>::new()}/>
                <ParentRoute path=path!("") view=shell::protected::Protected>
                    <Route path=path!("") view={Lazy::<routes::HomeRoute>::new()}/>
                    <Route path=path!("/account") view={Lazy::<routes::AccountRoute>::new()}/>
                    <Route path=path!("/account/register-login") view={Lazy::<routes::RegisterLoginRoute>::new()}/>
                    <Route path=path!("/staff/reset") view={Lazy::<routes::StaffResetRoute>::new()}/>
                    <Route path=path!("/staff/logins") view={Lazy::<routes::StaffLoginsRoute>::new()}/>
                    <Route path=path!("/staff/audit") view={Lazy::<routes::StaffAuditRoute>::new()}/>
                    <Route path=path!("/order") view={Lazy::<routes::OrderRoute>::new()}/>
                    <Route path=path!("/orders") view={Lazy::<routes::OrderHistoryRoute>::new()}/>
                    <Route path=path!("/staff/products") view={Lazy::<routes::StaffProductsRoute>::new()}/>
                    <Route path=path!("/master/customers") view={Lazy::<routes::CustomerSearchRoute>::new()}/>
                    <Route path=path!("/master/customers/:code") view={Lazy::<routes::CustomerViewRoute>::new()}/>
                    <Route path=path!("/master/network") view={Lazy::<routes::NetworkTreeRoute>::new()}/>
                    <Route path=path!("/master/agency/register") view={Lazy::<routes::AgencyRegisterRoute>::new()}/>
                    <Route path=path!("/staff/customers/new") view={Lazy::<routes::StaffCustomerNewRoute>::new()}/>
                    <Route path=path!("/staff/customers/:code") view={Lazy::<routes::StaffCustomerEditRoute>::new()}/>
                    <Route path=path!("/documents/rebate") view={Lazy::<routes::RebateStatementsRoute>::new()}/>
                    <Route path=path!("/staff/rebate-rates") view={Lazy::<routes::StaffRebateRatesRoute>::new()}/>
                    <Route path=path!("/staff/rebate-close") view={Lazy::<routes::StaffRebateCloseRoute>::new()}/>
                    <Route path=path!("/staff/orders") view={Lazy::<routes::StaffOrdersRoute>::new()}/>
                    <Route path=path!("/staff/orders/:number") view={Lazy::<routes::StaffOrderRoute>::new()}/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}

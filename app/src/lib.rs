//! Daiko's application: pages, components and the server functions they call.
//! Server-only code lives in [`server`], compiled with the `ssr` feature.
#![recursion_limit = "256"]

pub mod account;
pub mod auth;
pub mod customers;
pub mod documents;
pub mod error;
pub mod model;
pub mod orders;
pub mod pages;
pub mod products;
pub mod recovery;
pub mod shell;
pub mod staff;
pub mod validation;

#[cfg(feature = "ssr")]
pub mod server;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{ParentRoute, Route, Router, Routes},
    path,
};

/// The HTML document around the app (rendered on the server only).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="ja">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <AutoReload options=options.clone()/>
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
    // Marks the page once the WASM has taken over; end-to-end tests wait for it.
    Effect::new(|_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
    view! {
        <Stylesheet id="leptos" href="/pkg/daiko.css"/>
        <Title text="業務代行クラウドシステム"/>
        <Router>
            <Routes fallback=pages::not_found::NotFound>
                <Route path=path!("/login") view=pages::login::LoginPage/>
                <Route path=path!("/contact") view=pages::contact::ContactPage/>
                <Route path=path!("/contact/pin/:id") view=pages::contact_pin::ContactPinPage/>
                <Route path=path!("/contact/new-password") view=pages::contact_password::ContactPasswordPage/>
                <Route path=path!("/contact/done") view=pages::contact_done::ContactDonePage/>
                <Route path=path!("/contact/enter") view=pages::contact_enter::ContactEnterPage/>
                <Route path=path!("/dev/outbox") view=pages::dev_outbox::DevOutboxPage/>
                <Route path=path!("/verify/:token") view=pages::verify::VerifyPage/>
                <ParentRoute path=path!("") view=shell::protected::Protected>
                    <Route path=path!("") view=pages::home::HomePage/>
                    <Route path=path!("/account") view=pages::account::AccountPage/>
                    <Route path=path!("/account/register-login") view=pages::account_register_login::RegisterLoginPage/>
                    <Route path=path!("/staff/reset") view=pages::staff_reset::StaffResetPage/>
                    <Route path=path!("/staff/logins") view=pages::staff_logins::StaffLoginsPage/>
                    <Route path=path!("/order") view=pages::order_entry::OrderPage/>
                    <Route path=path!("/orders") view=pages::order_history::OrderHistoryPage/>
                    <Route path=path!("/staff/products") view=pages::staff_products::StaffProductsPage/>
                    <Route path=path!("/master/customers") view=pages::customer_search::CustomerSearchPage/>
                    <Route path=path!("/master/customers/:code") view=pages::customer_view::CustomerViewPage/>
                    <Route path=path!("/master/agency/register") view=pages::agency_register::AgencyRegisterPage/>
                    <Route path=path!("/staff/customers/new") view=pages::staff_customer_new::StaffCustomerNewPage/>
                    <Route path=path!("/staff/customers/:code") view=pages::staff_customer_edit::StaffCustomerEditPage/>
                    <Route path=path!("/documents/rebate") view=pages::rebate_statements::RebateStatementsPage/>
                    <Route path=path!("/staff/rebate-rates") view=pages::staff_rebate_rates::StaffRebateRatesPage/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}

//! Lazy routes (issue #12): each page below is compiled into its own WASM chunk
//! (`cargo leptos build --split`) that the browser fetches when the route first opens, so a
//! page a user never opens is never downloaded. The entry WASM keeps the router, the shell,
//! the login page and shared code. Hydration waits for the opened route's chunks
//! (frontend's `hydrate`).
use crate::pages;
use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

/// `lazy_routes! { Route => page::Component, ... }`: one unit struct per page, whose view
/// (the page component) is split out by `#[lazy_route]`. Routes hold no preloaded data: the
/// pages load their own resources.
macro_rules! lazy_routes {
    ($($route:ident => $page:path),* $(,)?) => {$(
        #[doc = concat!("The lazily loaded route of [`", stringify!($page), "`].")]
        #[derive(Debug)]
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                Self
            }

            fn view(_this: Self) -> AnyView {
                $page().into_any()
            }
        }
    )*};
}

lazy_routes! {
    ContactRoute => pages::contact::ContactPage,
    ContactPinRoute => pages::contact_pin::ContactPinPage,
    ContactPasswordRoute => pages::contact_password::ContactPasswordPage,
    ContactDoneRoute => pages::contact_done::ContactDonePage,
    ContactEnterRoute => pages::contact_enter::ContactEnterPage,
    DevOutboxRoute => pages::dev_outbox::DevOutboxPage,
    VerifyRoute => pages::verify::VerifyPage,
    HomeRoute => pages::home::HomePage,
    AccountRoute => pages::account::AccountPage,
    RegisterLoginRoute => pages::account_register_login::RegisterLoginPage,
    StaffResetRoute => pages::staff_reset::StaffResetPage,
    StaffLoginsRoute => pages::staff_logins::StaffLoginsPage,
    StaffAuditRoute => pages::staff_audit::StaffAuditPage,
    OrderRoute => pages::order_entry::OrderPage,
    OrderHistoryRoute => pages::order_history::OrderHistoryPage,
    StaffProductsRoute => pages::staff_products::StaffProductsPage,
    CustomerSearchRoute => pages::customer_search::CustomerSearchPage,
    CustomerViewRoute => pages::customer_view::CustomerViewPage,
    NetworkTreeRoute => pages::network_tree::NetworkTreePage,
    AgencyRegisterRoute => pages::agency_register::AgencyRegisterPage,
    StaffCustomerNewRoute => pages::staff_customer_new::StaffCustomerNewPage,
    StaffCustomerEditRoute => pages::staff_customer_edit::StaffCustomerEditPage,
    RebateStatementsRoute => pages::rebate_statements::RebateStatementsPage,
    StaffRebateRatesRoute => pages::staff_rebate_rates::StaffRebateRatesPage,
    StaffRebateCloseRoute => pages::staff_rebate_close::StaffRebateClosePage,
    StaffOrdersRoute => pages::staff_orders::StaffOrdersPage,
    StaffOrderRoute => pages::staff_order::StaffOrderPage,
}

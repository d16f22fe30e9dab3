//! The network tree's parts: one level ([`Children`], paged with 「さらに表示」), one node
//! ([`TreeNode`], which loads its children when first opened) and the keyboard (APG tree
//! pattern keys, driven from the DOM so that nodes need not know their neighbours).
use crate::customers::{network_children, NetworkNode, NetworkPage};
use crate::error::AppError;
use crate::shell::error_view::ErrorView;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Deeper levels are indented no further (CSS `depth-0` … `depth-8`): a 30-level downline
/// must still fit a phone.
const MAX_DEPTH_CLASS: usize = 8;

/// One level: `first` page of `parent`'s children (`None`: the caller's top level, shown as
/// the tree itself) and a 「さらに表示」 for the next pages.
#[component]
pub fn Children(parent: Option<String>, first: NetworkPage, level: usize, staff: bool) -> AnyView {
    let nodes = RwSignal::new(first.nodes);
    let next = RwSignal::new(first.next);
    let loading = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    let more = move |_| {
        let Some(after) = next.get_untracked() else {
            return;
        };
        if loading.get_untracked() {
            return;
        }
        loading.set(true);
        error.set(None);
        let parent = parent.clone();
        spawn_local(async move {
            match network_children(parent, Some(after)).await {
                Ok(p) => {
                    nodes.update(|n| n.extend(p.nodes));
                    next.set(p.next);
                }
                Err(e) => error.set(Some(e)),
            }
            loading.set(false);
        });
    };
    let items = move || {
        view! {
            <For
                each=move || nodes.get()
                key=|n| n.customer_code.clone()
                children=move |n| view! { <TreeNode node=n level=level staff=staff/> }
            />
        }
    };
    let list = if level == 1 {
        view! { <ul role="tree" class="tree" id="network-tree" aria-label="ネットワーク">{items()}</ul> }
            .into_any()
    } else {
        view! { <ul role="group" class="tree-group">{items()}</ul> }.into_any()
    };
    view! {
        {list}
        <div class="tree-more" hidden=move || next.with(Option::is_none) && error.with(Option::is_none)>
            <button
                type="button"
                class="secondary tree-more-button"
                data-testid="tree-more"
                hidden=move || next.with(Option::is_none)
                disabled=move || loading.get()
                on:click=more
            >
                "さらに表示"
            </button>
            {move || loading.get().then(|| view! { <span class="loading" role="status">"読み込み中…"</span> })}
            {move || error.get().map(|e| view! { <ErrorView error=e/> })}
        </div>
    }
    .into_any()
}

/// One customer: a toggle (when it has a downline) that loads its children on first open and
/// keeps them while closed, and a link that opens the customer.
#[component]
pub fn TreeNode(node: NetworkNode, level: usize, staff: bool) -> AnyView {
    let expanded = RwSignal::new(false);
    let loaded = RwSignal::new(None::<Result<NetworkPage, AppError>>);
    let loading = RwSignal::new(false);
    let code = node.customer_code.clone();
    let has_children = node.has_children;
    let fetch_code = code.clone();
    let toggle = move |_| {
        if expanded.get_untracked() {
            expanded.set(false);
            return;
        }
        expanded.set(true);
        // Load once; after an error, opening again retries.
        let stale = loaded.with_untracked(|l| !matches!(l, Some(Ok(_))));
        if stale && !loading.get_untracked() {
            loading.set(true);
            loaded.set(None);
            let code = fetch_code.clone();
            spawn_local(async move {
                let r = network_children(Some(code), None).await;
                loaded.set(Some(r));
                loading.set(false);
            });
        }
    };
    let href = if staff {
        format!("/staff/customers/{code}")
    } else {
        format!("/master/customers/{code}")
    };
    let row_class = format!("tree-row depth-{}", (level - 1).min(MAX_DEPTH_CLASS));
    let label = format!("{}（{}）", node.name, code);
    let toggle_label = format!("{}の下位を開閉", node.name);
    let aria_expanded = move || has_children.then(|| expanded.get().to_string());
    let child_code = code.clone();
    view! {
        <li
            role="treeitem"
            class="tree-item"
            data-testid="tree-node"
            data-code=code.clone()
            aria-expanded=aria_expanded
            aria-label=label
        >
            <div class=row_class>
                {if has_children {
                    view! {
                        <button
                            type="button"
                            class="tree-toggle tree-focus"
                            data-testid="tree-toggle"
                            aria-label=toggle_label
                            aria-expanded=aria_expanded
                            on:click=toggle
                        >
                            <span aria-hidden="true">{move || if expanded.get() { "▼" } else { "▶" }}</span>
                        </button>
                    }
                    .into_any()
                } else {
                    view! { <span class="tree-leaf" aria-hidden="true">"・"</span> }.into_any()
                }}
                <a
                    href=href
                    class=if has_children { "tree-open" } else { "tree-open tree-focus" }
                    data-testid="tree-open"
                >
                    <span class="tree-code">{code.clone()}</span>
                    <span class="tree-name">{node.name.clone()}</span>
                </a>
                <span class="tree-meta">
                    <span class="tree-rank">{node.rank.clone()}</span>
                    <span class="tree-division">{node.division.clone().unwrap_or_else(|| "所属なし".into())}</span>
                    <span class="tree-count" data-testid="tree-count">
                        {format!("下位 {}名", node.downline_count)}
                    </span>
                </span>
            </div>
            <div class="tree-children" hidden=move || !expanded.get()>
                {move || {
                    if loading.get() {
                        return view! { <p class="loading" role="status">"読み込み中…"</p> }.into_any();
                    }
                    match loaded.get() {
                        Some(Ok(page)) => view! {
                            <Children parent=Some(child_code.clone()) first=page level=level + 1 staff=staff/>
                        }
                        .into_any(),
                        Some(Err(e)) => view! { <ErrorView error=e/> }.into_any(),
                        None => ().into_any(),
                    }
                }}
            </div>
        </li>
    }
    // `aria-level` has no typed attribute in tachys.
    .attr("aria-level", level.to_string())
    .into_any()
}

/// Arrow keys on the tree's focusable parts (toggles, and links of leaves): ↑/↓ previous and
/// next visible node, Home/End first and last, → opens (or steps into an open node), ←
/// closes (or steps up to the parent). Enter and Space are the buttons' own.
pub fn on_tree_key(ev: leptos::ev::KeyboardEvent) {
    use leptos::wasm_bindgen::JsCast;
    use leptos::web_sys::HtmlElement;
    let Some(target) = ev.target().and_then(|t| t.dyn_into::<HtmlElement>().ok()) else {
        return;
    };
    if !target.class_list().contains("tree-focus") {
        return;
    }
    let Some(tree) = target.closest("[role=tree]").ok().flatten() else {
        return;
    };
    let all = tree.get_elements_by_class_name("tree-focus");
    let visible: Vec<HtmlElement> = (0..all.length())
        .filter_map(|i| all.item(i))
        .filter(|e| e.closest("[hidden]").ok().flatten().is_none())
        .filter_map(|e| e.dyn_into::<HtmlElement>().ok())
        .collect();
    let Some(i) = visible.iter().position(|e| e.is_same_node(Some(&target))) else {
        return;
    };
    let item = target.closest("[role=treeitem]").ok().flatten();
    let expanded = item
        .as_ref()
        .and_then(|it| it.get_attribute("aria-expanded"));
    let focus = |e: Option<&HtmlElement>| {
        if let Some(e) = e {
            let _ = e.focus();
        }
    };
    match ev.key().as_str() {
        "ArrowDown" => focus(visible.get(i + 1)),
        "ArrowUp" => focus(i.checked_sub(1).and_then(|j| visible.get(j))),
        "Home" => focus(visible.first()),
        "End" => focus(visible.last()),
        "ArrowRight" => match expanded.as_deref() {
            Some("false") => target.click(),
            Some("true") => {
                // Into the first child, if it has loaded.
                let next = visible.get(i + 1);
                if let (Some(n), Some(it)) = (next, item.as_ref()) {
                    if it.contains(Some(n)) {
                        focus(Some(n));
                    }
                }
            }
            _ => {}
        },
        "ArrowLeft" => {
            if expanded.as_deref() == Some("true") {
                target.click();
            } else if let Some(parent) = item
                .as_ref()
                .and_then(|it| it.parent_element())
                .and_then(|p| p.closest("[role=treeitem]").ok().flatten())
            {
                let first = parent.get_elements_by_class_name("tree-focus").item(0);
                focus(
                    first
                        .and_then(|e| e.dyn_into::<HtmlElement>().ok())
                        .as_ref(),
                );
            }
        }
        _ => return,
    }
    ev.prevent_default();
}

//! The signed-in frame: top bar with the profile menu, side navigation on desktop,
//! bottom tabs on phones, breadcrumbs, and the page. Navigation comes from the policy.

use crate::api::account::{get_me, Me, SignOut};
use crate::domain::policy::Page;
use crate::i18n::use_tr;
use crate::ui::components::{ErrorPanel, LanguageSwitch};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::components::{Outlet, A};
use leptos_router::hooks::use_location;

/// The signed-in user, provided to every page inside the layout.
pub fn use_me() -> Option<Me> {
    use_context::<Me>()
}

fn nav_icon(page: Page) -> &'static str {
    // 24×24 outline paths, drawn once here.
    match page {
        Page::Home => "M3 11l9-7 9 7v9h-6v-6H9v6H3z",
        Page::Customers => "M4 20V6h8v14M12 10h8v10M7 9h2M7 13h2M15 13h2M15 17h2",
        Page::Tickets => "M5 4h14v16H5zM9 8h6M9 12h6M9 16h4",
        Page::Messages => "M4 5h16v11H9l-5 4z",
        Page::Equipment => "M4 7h16v10H4zM8 17v3M16 17v3M8 11h3",
        Page::Orders => "M6 6h15l-2 8H8zM6 6L5 3H2M9 20h.01M18 20h.01",
        Page::Invoices => "M6 3h12v18l-3-2-3 2-3-2-3 2zM9 8h6M9 12h6",
        Page::Analytics => "M4 20V10M10 20V4M16 20v-7M22 20H2",
        Page::Settings => "M12 8a4 4 0 100 8 4 4 0 000-8zM12 2v3M12 19v3M2 12h3M19 12h3",
        Page::Profile => "M12 12a4 4 0 100-8 4 4 0 000 8zM4 21c1-4 4-6 8-6s7 2 8 6",
    }
}

#[component]
fn Icon(page: Page) -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
            <path d=nav_icon(page) fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round" />
        </svg>
    }
}

#[component]
fn SignOutButton() -> impl IntoView {
    let tr = use_tr();
    let action = ServerAction::<SignOut>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            let _ = window().location().set_href("/sign-in?signed_out=1");
        }
    });
    view! {
        <form
            method="post"
            action=SignOut::url()
            on:submit=move |ev| {
                ev.prevent_default();
                action.dispatch(SignOut {});
            }
        >
            <button type="submit" class="menu__item menu__item--button">
                {tr.sign_out}
            </button>
        </form>
    }
}

#[component]
fn ProfileMenu(me: Me) -> impl IntoView {
    let tr = use_tr();
    let initials: String = me
        .full_name
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .take(2)
        .collect();
    let nav = me.nav.clone();
    let menu = NodeRef::<leptos::html::Details>::new();
    // Close the menu once one of its items was chosen (client-side navigation keeps it open).
    let close = move |_| {
        if let Some(menu) = menu.get() {
            let _ = menu.remove_attribute("open");
        }
    };
    view! {
        <details class="menu" node_ref=menu>
            <summary class="menu__trigger" aria-label=tr.profile_menu>
                <span class="avatar" aria-hidden="true">{initials}</span>
                <span class="menu__name">{me.full_name.clone()}</span>
            </summary>
            <div class="menu__panel" on:click=close>
                <div class="menu__who">
                    <strong>{me.full_name.clone()}</strong>
                    <span class="muted">{tr.role(me.role)}</span>
                </div>
                // On phones the whole navigation is also here (the tab bar holds only the first items).
                <nav class="menu__nav" aria-label=tr.main_navigation>
                    {nav
                        .into_iter()
                        .map(|page| view! { <a class="menu__item" href=page.path()>{tr.page(page)}</a> })
                        .collect::<Vec<_>>()}
                </nav>
                <a class="menu__item" href="/profile">
                    {tr.nav_profile}
                </a>
                <div class="menu__section">
                    <span class="menu__label">{tr.language}</span>
                    <LanguageSwitch />
                </div>
                <SignOutButton />
            </div>
        </details>
    }
}

/// Home › Area › Page, from the URL.
#[component]
fn Breadcrumbs() -> impl IntoView {
    let tr = use_tr();
    let location = use_location();
    move || {
        let path = location.pathname.get();
        let page = Page::from_path(&path).filter(|p| *p != Page::Home)?;
        let mut crumbs = vec![("/".to_owned(), tr.nav_home.to_owned())];
        crumbs.push((page.path().to_owned(), tr.page(page).to_owned()));
        match path.as_str() {
            "/settings/outbox" => crumbs.push((path.clone(), tr.nav_outbox.to_owned())),
            "/settings/catalog" => crumbs.push((path.clone(), tr.nav_catalog.to_owned())),
            p if p.starts_with("/customers/new/") => {
                crumbs.push((path.clone(), tr.add_customer.to_owned()))
            }
            _ => {}
        }
        let last = crumbs.len() - 1;
        Some(view! {
            <nav class="breadcrumbs" aria-label=tr.breadcrumbs>
                <ol>
                    {crumbs
                        .into_iter()
                        .enumerate()
                        .map(|(i, (href, label))| {
                            if i == last {
                                view! { <li aria-current="page">{label}</li> }.into_any()
                            } else {
                                view! {
                                    <li>
                                        <a href=href>{label}</a>
                                    </li>
                                }
                                .into_any()
                            }
                        })
                        .collect::<Vec<_>>()}
                </ol>
            </nav>
        })
    }
}

/// Shown on every page while staff are in a customer's account.
#[component]
fn ActingBanner(acting: crate::api::account::ActingView, name: String) -> impl IntoView {
    use crate::api::acting::{ActingAllowChanges, StopActing};
    let tr = use_tr();
    let toggle = ServerAction::<ActingAllowChanges>::new();
    let stop = ServerAction::<StopActing>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = toggle.value().get() {
            let _ = window().location().reload();
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = stop.value().get() {
            let _ = window().location().set_href("/customers");
        }
    });
    let can_write = acting.can_write;
    view! {
        <div class="acting-banner" role="status">
            <p>
                <strong>{tr.acting_as.replace("{name}", &name)}</strong>
                " · "
                {if can_write { tr.acting_can_write } else { tr.acting_read_only }}
                " · "
                {tr.acting_until} " " {crate::domain::time::format_utc(acting.until)} " UTC"
                <br />
                <span class="muted">{acting.reason.clone()}</span>
            </p>
            <div class="acting-banner__actions">
                <button class="btn btn--small btn--secondary" type="button" on:click=move |_| { toggle.dispatch(ActingAllowChanges { allow: !can_write }); }>
                    {if can_write { tr.back_to_read_only } else { tr.allow_changes }}
                </button>
                <button class="btn btn--small btn--primary" type="button" on:click=move |_| { stop.dispatch(StopActing {}); }>
                    {tr.return_to_own}
                </button>
            </div>
        </div>
    }
}

#[component]
fn Forbidden() -> impl IntoView {
    let tr = use_tr();
    view! {
        <section class="status-page">
            <p class="status-page__code">"403"</p>
            <h1 class="page-title">{tr.forbidden_title}</h1>
            <p class="page-lead">{tr.forbidden_lead}</p>
            <a class="btn btn--primary" href="/">
                {tr.go_home}
            </a>
        </section>
    }
}

#[component]
fn Frame(me: Me) -> impl IntoView {
    let tr = use_tr();
    let location = use_location();
    provide_context(me.clone());
    crate::ui::pages::chat::provide_unread_messages();
    let role = me.role;
    let nav_links = |class: &'static str, pages: Vec<Page>| {
        pages
            .into_iter()
            .map(|page| {
                view! {
                    <A href=page.path() attr:class=class>
                        <Icon page />
                        <span>{tr.page(page)}</span>
                        {(page == Page::Messages).then(|| view! { <crate::ui::pages::chat::UnreadBadge /> })}
                    </A>
                }
            })
            .collect::<Vec<_>>()
    };
    let allowed = move || crate::domain::policy::path_allowed(role, &location.pathname.get());
    view! {
        <div class="app">
            <a class="skip-link" href="#main">
                {tr.skip_to_content}
            </a>
            <header class="topbar">
                <a class="brand" href="/">
                    <span class="brand__mark" aria-hidden="true">"A"</span>
                    <span class="brand__name">{tr.app_name}</span>
                </a>
                <div class="topbar__actions">
                    <crate::ui::pages::tickets::Bell />
                    <ProfileMenu me=me.clone() />
                </div>
            </header>
            <nav class="sidebar" aria-label=tr.main_navigation>
                {nav_links("sidebar__link", me.nav.clone())}
            </nav>
            <main class="content" id="main">
                {me.acting.clone().map(|acting| view! { <ActingBanner acting name=me.full_name.clone() /> })}
                <Breadcrumbs />
                // Not inside a `Suspense`: the page below is built once per request.
                <Show when=allowed fallback=|| view! { <Forbidden /> }>
                    <Outlet />
                </Show>
            </main>
            <nav class="tabbar" aria-label=tr.quick_navigation>
                {nav_links("tabbar__link", me.nav.iter().copied().take(4).collect())}
            </nav>
        </div>
    }
}

/// The layout route: the signed-in user, then the frame around the page.
///
/// On the server the user is known at once (the session layer resolved it), and the
/// browser reads the same value back while hydrating, so the frame and the page are
/// built directly. Built inside a `Suspense` instead, they would be built three times
/// per server render (Leptos walks a suspended view to find its resources, walks it
/// again to check, then renders it), loading every page's data three times. Only when
/// the browser first enters the layout by a client-side navigation does it ask the
/// server.
#[component]
pub fn AppLayout() -> impl IntoView {
    let known = leptos::server::SharedValue::new(|| {
        #[cfg(feature = "ssr")]
        {
            Some(crate::api::account::current_me())
        }
        #[cfg(not(feature = "ssr"))]
        {
            None::<Result<Option<Me>, crate::error::AppError>>
        }
    })
    .into_inner();
    match known {
        Some(Ok(Some(me))) => view! { <Frame me /> }.into_any(),
        Some(Ok(None)) => view! { <SignedOut /> }.into_any(),
        Some(Err(error)) => view! { <ErrorPanel error /> }.into_any(),
        None => view! { <AskedLayout /> }.into_any(),
    }
}

#[component]
fn SignedOut() -> impl IntoView {
    let tr = use_tr();
    view! {
        <div class="auth">
            <main class="auth__card" id="main">
                <p>{tr.error_unauthenticated}</p>
                <a class="btn btn--primary" href="/sign-in">
                    {tr.sign_in_button}
                </a>
            </main>
        </div>
    }
}

/// The layout entered by a client-side navigation: asks who is signed in first.
#[component]
fn AskedLayout() -> impl IntoView {
    let tr = use_tr();
    let me = Resource::new(|| (), |_| get_me());
    view! {
        <Suspense fallback=move || view! { <p class="muted page-loading">{tr.loading}</p> }>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(Some(me)) => view! { <Frame me /> }.into_any(),
                    Ok(None) => view! { <SignedOut /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

//! Every string the user reads, in English and Russian.
//!
//! One struct with a field per message: a language that misses a message does not
//! compile. The locale comes from the `lang` cookie (set from the user's setting at
//! sign-in and by the language switch), else from `Accept-Language`, else English. The
//! server writes it on `<html lang>`; the browser reads it back from there when it hydrates.

use crate::domain::policy::Page;
use crate::domain::role::Role;
use crate::domain::ticket::Stage;
use crate::domain::validate::Problem;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Locale {
    En,
    Ru,
}

pub const LANG_COOKIE: &str = "atrium_lang";

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::En, Locale::Ru];

    pub fn code(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Ru => "ru",
        }
    }

    pub fn from_code(code: &str) -> Option<Locale> {
        Locale::ALL.into_iter().find(|l| l.code() == code)
    }

    /// The language's own name, for the switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::Ru => "Русский",
        }
    }

    pub fn dir(self) -> &'static str {
        "ltr"
    }

    pub fn tr(self) -> &'static Tr {
        match self {
            Locale::En => &EN,
            Locale::Ru => &RU,
        }
    }

    /// The best supported language of an `Accept-Language` header, honouring q-values.
    pub fn from_accept_language(header: &str) -> Option<Locale> {
        let mut best: Option<(Locale, f32)> = None;
        for part in header.split(',') {
            let mut pieces = part.trim().split(';');
            let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = pieces
                .find_map(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|v| v.parse::<f32>().ok())
                })
                .unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or("");
            if let Some(locale) = Locale::from_code(primary) {
                if q > 0.0 && best.is_none_or(|(_, bq)| q > bq) {
                    best = Some((locale, q));
                }
            }
        }
        best.map(|(l, _)| l)
    }

    /// The locale for a request: the language cookie wins, then `Accept-Language`.
    pub fn negotiate(cookie_value: Option<&str>, accept_language: Option<&str>) -> Locale {
        cookie_value
            .and_then(Locale::from_code)
            .or_else(|| accept_language.and_then(Locale::from_accept_language))
            .unwrap_or(Locale::En)
    }
}

/// The locale of this render: negotiated from the request on the server, read from
/// `<html lang>` in the browser.
pub fn initial_locale() -> Locale {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .map(|parts| {
                let cookie = crate::server::http_util::cookie(&parts.headers, LANG_COOKIE);
                let accept = parts
                    .headers
                    .get(http::header::ACCEPT_LANGUAGE)
                    .and_then(|v| v.to_str().ok());
                Locale::negotiate(cookie.as_deref(), accept)
            })
            .unwrap_or(Locale::En)
    }
    #[cfg(not(feature = "ssr"))]
    {
        document()
            .document_element()
            .and_then(|el| el.get_attribute("lang"))
            .and_then(|code| Locale::from_code(&code))
            .unwrap_or(Locale::En)
    }
}

/// Provides the locale to the component tree.
pub fn provide_i18n() -> Locale {
    let locale = initial_locale();
    provide_context(locale);
    locale
}

/// The messages of the current locale.
pub fn use_tr() -> &'static Tr {
    use_context::<Locale>().unwrap_or(Locale::En).tr()
}

fn fill(template: &str, value: impl std::fmt::Display) -> String {
    template.replace("{}", &value.to_string())
}

pub struct Tr {
    pub app_name: &'static str,
    pub app_tagline: &'static str,
    pub skip_to_content: &'static str,
    pub main_navigation: &'static str,
    pub quick_navigation: &'static str,
    pub breadcrumbs: &'static str,
    pub nav_home: &'static str,
    pub nav_customers: &'static str,
    pub nav_tickets: &'static str,
    pub nav_messages: &'static str,
    pub nav_equipment: &'static str,
    pub nav_orders: &'static str,
    pub nav_invoices: &'static str,
    pub nav_analytics: &'static str,
    pub nav_settings: &'static str,
    pub nav_profile: &'static str,
    pub nav_outbox: &'static str,
    pub profile_menu: &'static str,
    pub language: &'static str,
    pub sign_out: &'static str,

    pub role_admin: &'static str,
    pub role_manager: &'static str,
    pub role_engineer: &'static str,
    pub role_reseller: &'static str,
    pub role_customer: &'static str,

    pub sign_in_title: &'static str,
    pub sign_in_lead: &'static str,
    pub login_label: &'static str,
    pub login_info: &'static str,
    pub password_label: &'static str,
    pub password_info: &'static str,
    pub sign_in_button: &'static str,
    pub signing_in: &'static str,
    pub forgot_link: &'static str,
    pub signed_out_notice: &'static str,
    pub session_ended_notice: &'static str,
    pub show_password: &'static str,

    pub forgot_title: &'static str,
    pub forgot_lead: &'static str,
    pub forgot_button: &'static str,
    pub forgot_sent: &'static str,
    pub back_to_sign_in: &'static str,

    pub reset_title: &'static str,
    pub reset_lead: &'static str,
    pub new_password_label: &'static str,
    pub new_password_info: &'static str,
    pub confirm_password_label: &'static str,
    pub reset_button: &'static str,
    pub reset_done_notice: &'static str,
    pub reset_link_missing: &'static str,

    pub problem_required: &'static str,
    pub problem_too_short: &'static str,
    pub problem_too_long: &'static str,
    pub problem_invalid_email: &'static str,
    pub problem_invalid_phone: &'static str,
    pub problem_invalid_login: &'static str,
    pub problem_bad_credentials: &'static str,
    pub problem_mismatch: &'static str,
    pub problem_confirmation_mismatch: &'static str,
    pub problem_wrong_password: &'static str,
    pub problem_taken: &'static str,
    pub problem_link_invalid: &'static str,
    pub problem_unknown_choice: &'static str,
    pub problem_invalid_characters: &'static str,
    pub problem_invalid_format: &'static str,
    pub problem_out_of_range: &'static str,

    pub error_summary_title: &'static str,
    pub error_unauthenticated: &'static str,
    pub error_forbidden: &'static str,
    pub error_read_only: &'static str,
    pub error_not_found: &'static str,
    pub error_rate_limited: &'static str,
    pub error_internal: &'static str,
    pub error_transport: &'static str,
    pub error_invalid: &'static str,

    pub not_found_title: &'static str,
    pub not_found_lead: &'static str,
    pub forbidden_title: &'static str,
    pub forbidden_lead: &'static str,
    pub go_home: &'static str,
    pub loading: &'static str,

    pub home_greeting: &'static str,
    pub home_lead_staff: &'static str,
    pub home_lead_reseller: &'static str,
    pub home_lead_customer: &'static str,
    pub stat_open_tickets: &'static str,
    pub stat_companies: &'static str,
    pub stat_equipment: &'static str,
    pub stat_outbox: &'static str,

    pub profile_title: &'static str,
    pub profile_lead: &'static str,
    pub full_name_label: &'static str,
    pub full_name_info: &'static str,
    pub email_label: &'static str,
    pub email_info: &'static str,
    pub phone_label: &'static str,
    pub phone_info: &'static str,
    pub language_info: &'static str,
    pub save: &'static str,
    pub saving: &'static str,
    pub profile_saved: &'static str,
    pub profile_password_label: &'static str,
    pub profile_password_info: &'static str,
    pub profile_password_hint: &'static str,
    pub change_password_title: &'static str,
    pub current_password_label: &'static str,
    pub change_password_button: &'static str,
    pub password_changed: &'static str,
    pub optional: &'static str,

    pub outbox_title: &'static str,
    pub outbox_lead: &'static str,
    pub outbox_empty: &'static str,
    pub channel_email: &'static str,
    pub channel_sms: &'static str,
    pub status_stored: &'static str,
    pub status_sent: &'static str,
    pub status_failed: &'static str,
    pub col_time: &'static str,
    pub col_channel: &'static str,
    pub col_recipient: &'static str,
    pub col_subject: &'static str,
    pub col_status: &'static str,
    pub col_message: &'static str,
    pub col_number: &'static str,
    pub col_company: &'static str,
    pub col_stage: &'static str,
    pub col_created: &'static str,
    pub col_name: &'static str,
    pub col_tax_id: &'static str,
    pub col_city: &'static str,
    pub col_reseller: &'static str,
    pub col_equipment: &'static str,
    pub col_open_tickets: &'static str,
    pub load_more: &'static str,

    pub settings_lead: &'static str,
    pub outbox_card: &'static str,

    pub customers_lead: &'static str,
    pub customers_empty: &'static str,
    pub tickets_lead: &'static str,
    pub tickets_empty: &'static str,
    pub area_coming_title: &'static str,
    pub area_messages: &'static str,
    pub area_equipment: &'static str,
    pub area_orders: &'static str,
    pub area_invoices: &'static str,
    pub area_analytics: &'static str,
    pub no_reseller: &'static str,

    pub stage_new: &'static str,
    pub stage_approval: &'static str,
    pub stage_in_work: &'static str,
    pub stage_work_completed: &'static str,
    pub stage_done: &'static str,
    pub stage_closed: &'static str,
    pub stage_refused: &'static str,

    pub accepted_by_label: &'static str,
    pub accepted_email_label: &'static str,
    pub accepted_on_label: &'static str,
    pub add_customer: &'static str,
    pub agreement_accepted_label: &'static str,
    pub agreement_explained: &'static str,
    pub agreement_title: &'static str,
    pub agreement_version_info: &'static str,
    pub agreement_version_label: &'static str,
    pub any: &'static str,
    pub apply: &'static str,
    pub back: &'static str,
    pub billing_period_label: &'static str,
    pub cancel: &'static str,
    pub catalog_empty: &'static str,
    pub catalog_lead: &'static str,
    pub catalog_title: &'static str,
    pub col_actions: &'static str,
    pub col_contacts: &'static str,
    pub company_admin: &'static str,
    pub company_legend: &'static str,
    pub confirm_name_info: &'static str,
    pub confirm_name_label: &'static str,
    pub contact_email_label: &'static str,
    pub contact_legend: &'static str,
    pub contact_phone_label: &'static str,
    pub continue_label: &'static str,
    pub country_label: &'static str,
    pub create_customer: &'static str,
    pub currency_label: &'static str,
    pub customer_created_lead: &'static str,
    pub customer_created_title: &'static str,
    pub customer_deleted_notice: &'static str,
    pub customer_is_deleted: &'static str,
    pub customer_sections: &'static str,
    pub customer_status_active: &'static str,
    pub customer_status_deleted: &'static str,
    pub customer_status_suspended: &'static str,
    pub customers_empty_hint: &'static str,
    pub customers_search_hint: &'static str,
    pub delete: &'static str,
    pub delete_customer: &'static str,
    pub delete_customer_explained: &'static str,
    pub details: &'static str,
    pub duplicate_advice: &'static str,
    pub duplicate_both: &'static str,
    pub duplicate_email: &'static str,
    pub duplicate_found: &'static str,
    pub duplicate_hidden: &'static str,
    pub duplicate_tax_id: &'static str,
    pub first_name_label: &'static str,
    pub last_name_label: &'static str,
    pub legal_name_info: &'static str,
    pub legal_name_label: &'static str,
    pub licences_label: &'static str,
    pub next_back_to_list: &'static str,
    pub next_check_details: &'static str,
    pub next_invite_users: &'static str,
    pub no_reseller_long: &'static str,
    pub offer_add: &'static str,
    pub offer_label: &'static str,
    pub offer_reactivate: &'static str,
    pub offer_retire: &'static str,
    pub offer_retired: &'static str,
    pub period_monthly: &'static str,
    pub period_one_time: &'static str,
    pub period_yearly: &'static str,
    pub postal_code_info: &'static str,
    pub postal_code_label: &'static str,
    pub price_info: &'static str,
    pub region_label: &'static str,
    pub reseller_fixed: &'static str,
    pub reseller_fixed_short: &'static str,
    pub reseller_question: &'static str,
    pub restore: &'static str,
    pub save_and_continue: &'static str,
    pub saved_notice: &'static str,
    pub search_label: &'static str,
    pub sort_label: &'static str,
    pub sort_name: &'static str,
    pub sort_newest: &'static str,
    pub step_account: &'static str,
    pub step_agreement: &'static str,
    pub step_reseller: &'static str,
    pub step_review: &'static str,
    pub step_subscriptions: &'static str,
    pub street_label: &'static str,
    pub subscriptions_empty: &'static str,
    pub subscriptions_explained: &'static str,
    pub subscriptions_none: &'static str,
    pub tab_acts: &'static str,
    pub tab_address: &'static str,
    pub tab_general: &'static str,
    pub tab_history: &'static str,
    pub tab_nothing_yet: &'static str,
    pub tab_subscriptions: &'static str,
    pub tab_users: &'static str,
    pub tax_id_info: &'static str,
    pub unit_price_label: &'static str,
    pub unsaved_confirm: &'static str,
    pub update: &'static str,
    pub user_active: &'static str,
    pub user_disabled: &'static str,
    pub user_invited: &'static str,
    pub users_empty: &'static str,
    pub website_label: &'static str,
    pub wizard_lead: &'static str,
    pub wizard_progress: &'static str,
    pub wizard_step_locked: &'static str,
    pub nav_catalog: &'static str,
    pub catalog_card: &'static str,
    pub invite_title: &'static str,
    pub invite_lead: &'static str,
    pub invite_name_label: &'static str,
    pub invite_sees_label: &'static str,
    pub sees_company: &'static str,
    pub sees_own: &'static str,
    pub invite_admin_label: &'static str,
    pub invite_channel_label: &'static str,
    pub channel_both: &'static str,
    pub invite_button: &'static str,
    pub invited_notice: &'static str,
    pub resend: &'static str,
    pub disable: &'static str,
    pub enable: &'static str,
    pub invitation_title: &'static str,
    pub invitation_lead: &'static str,
    pub invitation_for: &'static str,
    pub invitation_button: &'static str,
    pub invitation_invalid: &'static str,
    pub colleagues_title: &'static str,
    pub colleagues_lead: &'static str,
    pub company_label: &'static str,
    pub mail_invitation_subject: &'static str,
    pub mail_invitation_body: &'static str,
    pub sms_invitation_body: &'static str,
    pub acting_as: &'static str,
    pub acting_read_only: &'static str,
    pub acting_can_write: &'static str,
    pub acting_until: &'static str,
    pub allow_changes: &'static str,
    pub back_to_read_only: &'static str,
    pub return_to_own: &'static str,
    pub log_in_as: &'static str,
    pub log_in_as_reason_label: &'static str,
    pub log_in_as_reason_info: &'static str,
    pub log_in_as_explained: &'static str,
    pub visits_title: &'static str,
    pub visits_lead: &'static str,
    pub visits_empty: &'static str,
    pub visit_started: &'static str,
    pub visit_write: &'static str,
    pub visit_ended: &'static str,
    pub request_relationship: &'static str,
    pub relationship_sent: &'static str,
    pub relationship_title: &'static str,
    pub relationship_lead: &'static str,
    pub accept: &'static str,
    pub decline: &'static str,
    pub relationship_accepted: &'static str,
    pub relationship_declined: &'static str,
    pub relationship_invalid: &'static str,
    pub relationship_sign_in: &'static str,
    pub mail_relationship_subject: &'static str,
    pub mail_relationship_body: &'static str,
    pub mail_reset_subject: &'static str,
    pub mail_reset_body: &'static str,
    pub sms_reset_body: &'static str,
}

impl Tr {
    pub fn page(&self, page: Page) -> &'static str {
        match page {
            Page::Home => self.nav_home,
            Page::Customers => self.nav_customers,
            Page::Tickets => self.nav_tickets,
            Page::Messages => self.nav_messages,
            Page::Equipment => self.nav_equipment,
            Page::Orders => self.nav_orders,
            Page::Invoices => self.nav_invoices,
            Page::Analytics => self.nav_analytics,
            Page::Settings => self.nav_settings,
            Page::Profile => self.nav_profile,
        }
    }

    pub fn role(&self, role: Role) -> &'static str {
        match role {
            Role::Admin => self.role_admin,
            Role::Manager => self.role_manager,
            Role::Engineer => self.role_engineer,
            Role::Reseller => self.role_reseller,
            Role::Customer => self.role_customer,
        }
    }

    pub fn stage(&self, stage: Stage) -> &'static str {
        match stage {
            Stage::New => self.stage_new,
            Stage::Approval => self.stage_approval,
            Stage::InWork => self.stage_in_work,
            Stage::WorkCompleted => self.stage_work_completed,
            Stage::Done => self.stage_done,
            Stage::Closed => self.stage_closed,
            Stage::Refused => self.stage_refused,
        }
    }

    pub fn problem(&self, problem: Problem) -> String {
        match problem {
            Problem::Required => self.problem_required.into(),
            Problem::TooShort { min } => fill(self.problem_too_short, min),
            Problem::TooLong { max } => fill(self.problem_too_long, max),
            Problem::InvalidEmail => self.problem_invalid_email.into(),
            Problem::InvalidPhone => self.problem_invalid_phone.into(),
            Problem::InvalidLogin => self.problem_invalid_login.into(),
            Problem::BadCredentials => self.problem_bad_credentials.into(),
            Problem::Mismatch => self.problem_mismatch.into(),
            Problem::ConfirmationMismatch => self.problem_confirmation_mismatch.into(),
            Problem::WrongPassword => self.problem_wrong_password.into(),
            Problem::Taken => self.problem_taken.into(),
            Problem::LinkInvalid => self.problem_link_invalid.into(),
            Problem::UnknownChoice => self.problem_unknown_choice.into(),
            Problem::InvalidCharacters => self.problem_invalid_characters.into(),
            Problem::InvalidFormat => self.problem_invalid_format.into(),
            Problem::OutOfRange { min, max } => self
                .problem_out_of_range
                .replace("{min}", &min.to_string())
                .replace("{max}", &max.to_string()),
        }
    }

    /// A sentence for an error as a whole (field errors are shown at their fields).
    pub fn error(&self, error: &AppError) -> String {
        match error {
            AppError::Unauthenticated => self.error_unauthenticated.into(),
            AppError::Forbidden => self.error_forbidden.into(),
            AppError::ReadOnly => self.error_read_only.into(),
            AppError::NotFound => self.error_not_found.into(),
            AppError::Invalid(_) => self.error_invalid.into(),
            AppError::RateLimited { retry_after_secs } => {
                fill(self.error_rate_limited, (retry_after_secs + 59) / 60)
            }
            AppError::Internal => self.error_internal.into(),
            AppError::Transport => self.error_transport.into(),
        }
    }

    /// An audit-log action in words (unknown codes are shown as they are).
    pub fn audit_action(&self, action: &str) -> String {
        let (en, ru) = match action {
            "customer_created" => ("Customer created", "Клиент создан"),
            "customer_general_updated" => ("General details changed", "Изменены общие данные"),
            "customer_address_updated" => ("Address changed", "Изменён адрес"),
            "customer_deleted" => ("Customer deleted", "Клиент удалён"),
            "customer_restored" => ("Customer restored", "Клиент восстановлен"),
            "user_invited" => ("User invited", "Пользователь приглашён"),
            "user_disabled" => ("User disabled", "Пользователь отключён"),
            "log_in_as_started" => ("Logged in as a user", "Вход от имени пользователя"),
            "relationship_requested" => ("Relationship requested by", "Запрошена связь:"),
            "relationship_accepted" => ("Relationship accepted with", "Принята связь с"),
            "relationship_declined" => ("Relationship declined with", "Отклонена связь с"),
            "user_enabled" => ("User enabled", "Пользователь включён"),
            other => return other.replace('_', " "),
        };
        if std::ptr::eq(self, &RU) {
            ru.into()
        } else {
            en.into()
        }
    }

    pub fn greeting(&self, name: &str) -> String {
        fill(self.home_greeting, name)
    }

    pub fn reset_mail_body(&self, name: &str, link: &str, minutes: i64) -> String {
        self.mail_reset_body
            .replace("{name}", name)
            .replace("{link}", link)
            .replace("{minutes}", &minutes.to_string())
    }

    pub fn invitation_subject(&self, company: &str) -> String {
        self.mail_invitation_subject.replace("{company}", company)
    }

    pub fn invitation_body(&self, name: &str, company: &str, link: &str, days: i64) -> String {
        self.mail_invitation_body
            .replace("{name}", name)
            .replace("{company}", company)
            .replace("{link}", link)
            .replace("{days}", &days.to_string())
    }

    pub fn invitation_sms(&self, company: &str, link: &str) -> String {
        self.sms_invitation_body
            .replace("{company}", company)
            .replace("{link}", link)
    }

    pub fn relationship_subject(&self, reseller: &str) -> String {
        self.mail_relationship_subject
            .replace("{reseller}", reseller)
    }

    pub fn relationship_body(&self, reseller: &str, company: &str, link: &str) -> String {
        self.mail_relationship_body
            .replace("{reseller}", reseller)
            .replace("{company}", company)
            .replace("{link}", link)
    }

    pub fn reset_sms_body(&self, link: &str) -> String {
        self.sms_reset_body.replace("{link}", link)
    }
}

pub static EN: Tr = Tr {
    app_name: "Atrium",
    app_tagline: "Service desk and customer portal",
    skip_to_content: "Skip to content",
    main_navigation: "Main navigation",
    quick_navigation: "Quick navigation",
    breadcrumbs: "Breadcrumbs",
    nav_home: "Home",
    nav_customers: "Customers",
    nav_tickets: "Tickets",
    nav_messages: "Messages",
    nav_equipment: "Equipment",
    nav_orders: "Orders",
    nav_invoices: "Invoices",
    nav_analytics: "Analytics",
    nav_settings: "Settings",
    nav_profile: "Profile",
    nav_outbox: "Outbox",
    profile_menu: "Account menu",
    language: "Language",
    sign_out: "Sign out",

    role_admin: "Administrator",
    role_manager: "Manager",
    role_engineer: "Engineer",
    role_reseller: "Reseller",
    role_customer: "Customer",

    sign_in_title: "Sign in to Atrium",
    sign_in_lead: "Use the e-mail address or phone number from your invitation.",
    login_label: "E-mail or phone",
    login_info: "The e-mail address or the phone number in international form (+7 912 345-67-89) that your account was created with.",
    password_label: "Password",
    password_info: "At least 8 characters. Passwords are case-sensitive.",
    sign_in_button: "Sign in",
    signing_in: "Signing in…",
    forgot_link: "Forgot your password?",
    signed_out_notice: "You have signed out.",
    session_ended_notice: "Your session has ended. Please sign in again.",
    show_password: "Show password",

    forgot_title: "Reset your password",
    forgot_lead: "Enter the e-mail address or phone number of your account. We will send you a link to choose a new password.",
    forgot_button: "Send the link",
    forgot_sent: "If an account with this e-mail or phone exists, a link to reset the password is on its way. It is valid for one hour and works once.",
    back_to_sign_in: "Back to sign in",

    reset_title: "Choose a new password",
    reset_lead: "After the change you will be signed out everywhere and can sign in with the new password.",
    new_password_label: "New password",
    new_password_info: "8 to 128 characters. A passphrase of several words is easy to remember and hard to guess.",
    confirm_password_label: "Repeat the new password",
    reset_button: "Change password",
    reset_done_notice: "Your password has been changed. Sign in with the new one.",
    reset_link_missing: "This page needs the link from the e-mail or SMS. Request a new one below.",

    problem_required: "Fill in this field.",
    problem_too_short: "Use at least {} characters.",
    problem_too_long: "Use at most {} characters.",
    problem_invalid_email: "Enter an e-mail address like name@example.com.",
    problem_invalid_phone: "Enter a phone number in international form, like +7 912 345-67-89.",
    problem_invalid_login: "Enter an e-mail address or a phone number.",
    problem_bad_credentials: "The e-mail, phone or password is not correct.",
    problem_mismatch: "The two passwords are not the same.",
    problem_confirmation_mismatch: "This is not the company’s name as shown above.",
    problem_wrong_password: "The current password is not correct.",
    problem_taken: "Another account already uses this.",
    problem_link_invalid: "This link is not valid any more: it was used, it expired or it is incomplete. Request a new one.",
    problem_unknown_choice: "Choose one of the options.",
    problem_invalid_characters: "Remove the control characters from this field.",
    problem_invalid_format: "This does not look right: check the format.",
    problem_out_of_range: "Enter a number from {min} to {max}.",

    error_summary_title: "There is a problem",
    error_unauthenticated: "Please sign in to continue.",
    error_forbidden: "You do not have access to this.",
    error_read_only: "You are viewing this account read-only. Allow changes in the banner at the top to act for the customer.",
    error_not_found: "This was not found.",
    error_rate_limited: "Too many attempts. Try again in {} min.",
    error_internal: "Something went wrong on our side. Please try again; if it keeps happening, contact support.",
    error_transport: "The server could not be reached. Check your connection and try again.",
    error_invalid: "Some fields need your attention.",

    not_found_title: "Page not found",
    not_found_lead: "The address may be mistyped, or the page was moved.",
    forbidden_title: "No access",
    forbidden_lead: "Your account does not have access to this page. If you think it should, ask your administrator.",
    go_home: "Go to the home page",
    loading: "Loading…",

    home_greeting: "Hello, {}",
    home_lead_staff: "Here is what is happening at the service desk.",
    home_lead_reseller: "Your customers at a glance.",
    home_lead_customer: "Your tickets and equipment at a glance.",
    stat_open_tickets: "Open tickets",
    stat_companies: "Customer companies",
    stat_equipment: "Equipment",
    stat_outbox: "Messages in the outbox",

    profile_title: "Profile",
    profile_lead: "Your personal data and sign-in settings.",
    full_name_label: "Full name",
    full_name_info: "As colleagues and the service company should see it, e.g. on acts of completed work.",
    email_label: "E-mail",
    email_info: "Used to sign in and for notifications and password reset links.",
    phone_label: "Phone",
    phone_info: "International form, e.g. +7 912 345-67-89. Can be used to sign in and for SMS.",
    language_info: "The language of the interface and of the e-mails you receive.",
    save: "Save",
    saving: "Saving…",
    profile_saved: "Profile saved.",
    profile_password_label: "Password to confirm",
    profile_password_info: "Your e-mail and phone are how you sign in: changing either needs your password. Your other sessions will then be signed out.",
    profile_password_hint: "only to change e-mail or phone",
    change_password_title: "Change password",
    current_password_label: "Current password",
    change_password_button: "Change password",
    password_changed: "Password changed. Your other sessions have been signed out.",
    optional: "optional",

    outbox_title: "Outbox",
    outbox_lead: "Every e-mail and SMS the system has sent or stored. Without an SMTP server configured, messages stay here for you to read.",
    outbox_empty: "No messages yet. Password reset links and invitations will appear here.",
    channel_email: "E-mail",
    channel_sms: "SMS",
    status_stored: "Stored",
    status_sent: "Sent",
    status_failed: "Failed",
    col_time: "Time (UTC)",
    col_channel: "Channel",
    col_recipient: "To",
    col_subject: "Subject",
    col_status: "Status",
    col_message: "Message",
    col_number: "Number",
    col_company: "Company",
    col_stage: "Status",
    col_created: "Created",
    col_name: "Name",
    col_tax_id: "Tax ID",
    col_city: "City",
    col_reseller: "Reseller",
    col_equipment: "Equipment",
    col_open_tickets: "Open tickets",
    load_more: "Show more",

    settings_lead: "Configuration of the service company's Atrium.",
    outbox_card: "Read the e-mails and SMS the system has sent or stored.",

    customers_lead: "Customer companies you serve.",
    customers_empty: "No customer companies yet.",
    tickets_lead: "Tickets you can see, newest first.",
    tickets_empty: "No tickets yet.",
    area_coming_title: "Nothing here yet",
    area_messages: "Conversations about tickets will be listed here, newest first, with unread counts.",
    area_equipment: "The equipment registry with passports and QR labels will be here.",
    area_orders: "Orders for services from the catalog will be listed here.",
    area_invoices: "Invoices and their payment status will be listed here.",
    area_analytics: "Reports on tickets by status and by object over time will be here.",
    no_reseller: "Direct",

    stage_new: "New",
    stage_approval: "Approval",
    stage_in_work: "In work",
    stage_work_completed: "Work completed",
    stage_done: "Done",
    stage_closed: "Closed",
    stage_refused: "Customer refused",

    accepted_by_label: "Accepted by (full name)",
    accepted_email_label: "Their e-mail",
    accepted_on_label: "Date of acceptance",
    add_customer: "Add customer",
    agreement_accepted_label: "The customer has accepted the service agreement",
    agreement_explained: "Confirm that someone authorised by the customer accepted the service agreement. This record is kept with the customer.",
    agreement_title: "Agreement accepted",
    agreement_version_info: "The version of the agreement text the customer accepted.",
    agreement_version_label: "Agreement version",
    any: "Any",
    apply: "Apply",
    back: "Back",
    billing_period_label: "Billing period",
    cancel: "Cancel",
    catalog_empty: "No offers yet. Add the first one with the form.",
    catalog_lead: "Offers that customers subscribe to, with their price and billing period.",
    catalog_title: "Catalog",
    col_actions: "Actions",
    col_contacts: "Contacts",
    company_admin: "company admin",
    company_legend: "Company",
    confirm_name_info: "Type the company's name exactly as shown above. This protects against deleting the wrong customer.",
    confirm_name_label: "Type the company name to confirm",
    contact_email_label: "Contact's e-mail",
    contact_legend: "Primary contact",
    contact_phone_label: "Contact's phone",
    continue_label: "Continue",
    country_label: "Country",
    create_customer: "Create customer",
    currency_label: "Currency",
    customer_created_lead: "The customer is in the register. What usually comes next:",
    customer_created_title: "Customer created",
    customer_deleted_notice: "The customer was deleted. Its users have lost access; its tickets, acts and invoices are kept.",
    customer_is_deleted: "This customer is deleted: its users cannot sign in. You can restore it.",
    customer_sections: "Customer sections",
    customer_status_active: "Active",
    customer_status_deleted: "Deleted",
    customer_status_suspended: "Suspended",
    customers_empty_hint: "Nothing matches. Change the search or the filters, or add a customer.",
    customers_search_hint: "Name, tax ID, e-mail or phone",
    delete: "Delete",
    delete_customer: "Delete customer",
    delete_customer_explained: "The company and all its users lose access at once. Its tickets, acts and invoices are kept for the service company's records, and an administrator can restore the customer later.",
    details: "Details",
    duplicate_advice: "Open that customer instead of creating a second record, or correct the tax ID and e-mail in step 1.",
    duplicate_both: "same tax ID and e-mail",
    duplicate_email: "same e-mail",
    duplicate_found: "This customer may already exist.",
    duplicate_hidden: "A customer you do not manage",
    duplicate_tax_id: "same tax ID",
    first_name_label: "First name",
    last_name_label: "Last name",
    legal_name_info: "The registered name, as on contracts and invoices.",
    legal_name_label: "Legal name",
    licences_label: "Licences",
    next_back_to_list: "Back to the customers list",
    next_check_details: "Check the address and details",
    next_invite_users: "Invite the customer's users",
    no_reseller_long: "No reseller: a direct customer",
    offer_add: "Add offer",
    offer_label: "Offer",
    offer_reactivate: "Offer again",
    offer_retire: "Retire",
    offer_retired: "Retired",
    period_monthly: "Monthly",
    period_one_time: "One-time",
    period_yearly: "Yearly",
    postal_code_info: "Six digits in Russia, Belarus and Kazakhstan.",
    postal_code_label: "Postal code",
    price_info: "Per licence and period, e.g. 1 500,00.",
    region_label: "Region",
    reseller_fixed: "The customer will be yours: as a reseller you add customers to your own account.",
    reseller_fixed_short: "Your reseller account",
    reseller_question: "Which reseller sells to this customer?",
    restore: "Restore",
    save_and_continue: "Save and continue",
    saved_notice: "Saved.",
    search_label: "Search",
    sort_label: "Sort",
    sort_name: "By name",
    sort_newest: "Newest first",
    step_account: "Account details",
    step_agreement: "Agreement",
    step_reseller: "Reseller",
    step_review: "Review",
    step_subscriptions: "Subscriptions",
    street_label: "Street and building",
    subscriptions_empty: "No subscriptions.",
    subscriptions_explained: "Choose the offers the customer starts with and how many licences of each. You can skip this and add them later.",
    subscriptions_none: "None",
    tab_acts: "Acts",
    tab_address: "Address",
    tab_general: "General",
    tab_history: "History",
    tab_nothing_yet: "Nothing here yet.",
    tab_subscriptions: "Contracts and subscriptions",
    tab_users: "Users",
    tax_id_info: "In Russia the INN: 10 digits for a company, 12 for an individual entrepreneur.",
    unit_price_label: "Unit price",
    unsaved_confirm: "You have unsaved changes on this tab. Leave without saving?",
    update: "Update",
    user_active: "Active",
    user_disabled: "Disabled",
    user_invited: "Invited",
    users_empty: "No users yet.",
    website_label: "Website",
    wizard_lead: "Each step is saved as you go: you can leave and come back later.",
    wizard_progress: "Steps",
    wizard_step_locked: "Complete the earlier steps first.",
    nav_catalog: "Catalog",
    catalog_card: "Offers, prices and billing periods that customers subscribe to.",
    invite_title: "Invite a user",
    invite_lead: "The user gets a link by e-mail or SMS, chooses a password and is signed in.",
    invite_name_label: "Full name",
    invite_sees_label: "The user sees",
    sees_company: "All of the company's tickets",
    sees_own: "Only their own tickets",
    invite_admin_label: "Company administrator: may invite colleagues",
    invite_channel_label: "Send the invitation by",
    channel_both: "E-mail and SMS",
    invite_button: "Send invitation",
    invited_notice: "Invitation sent.",
    resend: "Resend",
    disable: "Disable",
    enable: "Enable",
    invitation_title: "Welcome to Atrium",
    invitation_lead: "Choose a password to finish setting up your account. You will be signed in right away.",
    invitation_for: "Invited to",
    invitation_button: "Set password and sign in",
    invitation_invalid: "This invitation is not valid any more: it was used, it expired or it is incomplete. Ask whoever invited you to send it again.",
    colleagues_title: "Invite a colleague",
    colleagues_lead: "As your company's administrator you can give colleagues access to its tickets.",
    company_label: "Company",
    mail_invitation_subject: "Your access to {company} in Atrium",
    mail_invitation_body: "Hello, {name}.\n\nYou have been given access to the service portal of {company}: file and follow tickets, talk to the engineers, sign acts of completed work.\n\nOpen this link to choose your password and sign in:\n\n{link}\n\nThe link works once and is valid for {days} days.\n\nAtrium",
    sms_invitation_body: "Atrium: access to {company}. Set your password: {link}",
    acting_as: "You are in {name}'s account",
    acting_read_only: "read-only",
    acting_can_write: "changes allowed",
    acting_until: "until",
    allow_changes: "Allow changes",
    back_to_read_only: "Back to read-only",
    return_to_own: "Return to my account",
    log_in_as: "Log in as",
    log_in_as_reason_label: "Reason for entering the customer's account",
    log_in_as_reason_info: "Required, and shown to the customer in their account history, e.g. \"Checking ticket T-1005 with the customer on the phone\".",
    log_in_as_explained: "You will see the portal as this user sees it, read-only for 30 minutes. Everything you do there is recorded.",
    visits_title: "Account history",
    visits_lead: "Visits of the service company's staff to your account.",
    visits_empty: "Nobody from the service company has entered your account.",
    visit_started: "entered your account",
    visit_write: "allowed themselves to make changes",
    visit_ended: "left your account",
    request_relationship: "Request a relationship",
    relationship_sent: "Request sent to the customer's administrators. They decide through the link in their e-mail.",
    relationship_title: "Relationship request",
    relationship_lead: "{reseller} asks to serve {company} as its reseller: it would see the company in its customer list, place orders and help with its account.",
    accept: "Accept",
    decline: "Decline",
    relationship_accepted: "Accepted: the reseller now serves your company.",
    relationship_declined: "Declined. Nothing has changed.",
    relationship_invalid: "This request is not valid any more: it was decided, it expired or the link is incomplete.",
    relationship_sign_in: "Sign in as an administrator of the company to decide.",
    mail_relationship_subject: "{reseller} asks to serve your company in Atrium",
    mail_relationship_body: "Hello.\n\n{reseller} asks to be the reseller of {company} in Atrium. As an administrator of the company you can accept or decline here:\n\n{link}\n\nNothing changes until you decide.\n\nAtrium",
    mail_reset_subject: "Reset your Atrium password",
    mail_reset_body: "Hello, {name}.\n\nSomeone (hopefully you) asked to reset the password of your Atrium account. Open this link to choose a new password:\n\n{link}\n\nThe link works once and expires in {minutes} minutes. If you did not ask for it, ignore this message: your password stays the same.\n\nAtrium",
    sms_reset_body: "Atrium password reset: {link}",
};

pub static RU: Tr = Tr {
    app_name: "Atrium",
    app_tagline: "Сервис-деск и клиентский портал",
    skip_to_content: "Перейти к содержимому",
    main_navigation: "Основное меню",
    quick_navigation: "Быстрый переход",
    breadcrumbs: "Навигационная цепочка",
    nav_home: "Главная",
    nav_customers: "Клиенты",
    nav_tickets: "Заявки",
    nav_messages: "Сообщения",
    nav_equipment: "Оборудование",
    nav_orders: "Заказы",
    nav_invoices: "Счета",
    nav_analytics: "Аналитика",
    nav_settings: "Настройки",
    nav_profile: "Профиль",
    nav_outbox: "Исходящие",
    profile_menu: "Меню учётной записи",
    language: "Язык",
    sign_out: "Выйти",

    role_admin: "Администратор",
    role_manager: "Менеджер",
    role_engineer: "Инженер",
    role_reseller: "Реселлер",
    role_customer: "Заказчик",

    sign_in_title: "Вход в Atrium",
    sign_in_lead: "Используйте e-mail или телефон из приглашения.",
    login_label: "E-mail или телефон",
    login_info: "Адрес e-mail или номер телефона в международном формате (+7 912 345-67-89), на который создана учётная запись.",
    password_label: "Пароль",
    password_info: "Не менее 8 символов. Регистр букв важен.",
    sign_in_button: "Войти",
    signing_in: "Входим…",
    forgot_link: "Забыли пароль?",
    signed_out_notice: "Вы вышли из системы.",
    session_ended_notice: "Сеанс завершён. Войдите снова.",
    show_password: "Показать пароль",

    forgot_title: "Восстановление пароля",
    forgot_lead: "Введите e-mail или телефон учётной записи. Мы пришлём ссылку для выбора нового пароля.",
    forgot_button: "Отправить ссылку",
    forgot_sent: "Если учётная запись с таким e-mail или телефоном существует, ссылка для сброса пароля уже отправлена. Она действует один час и срабатывает один раз.",
    back_to_sign_in: "Вернуться ко входу",

    reset_title: "Новый пароль",
    reset_lead: "После смены пароля все сеансы будут завершены, и вы сможете войти с новым паролем.",
    new_password_label: "Новый пароль",
    new_password_info: "От 8 до 128 символов. Фразу из нескольких слов легко запомнить и трудно угадать.",
    confirm_password_label: "Повторите новый пароль",
    reset_button: "Сменить пароль",
    reset_done_notice: "Пароль изменён. Войдите с новым паролем.",
    reset_link_missing: "Для этой страницы нужна ссылка из письма или SMS. Запросите новую ниже.",

    problem_required: "Заполните это поле.",
    problem_too_short: "Не менее {} символов.",
    problem_too_long: "Не более {} символов.",
    problem_invalid_email: "Введите адрес вида name@example.com.",
    problem_invalid_phone: "Введите номер в международном формате, например +7 912 345-67-89.",
    problem_invalid_login: "Введите e-mail или номер телефона.",
    problem_bad_credentials: "Неверный e-mail, телефон или пароль.",
    problem_mismatch: "Пароли не совпадают.",
    problem_confirmation_mismatch: "Это не название компании, указанное выше.",
    problem_wrong_password: "Текущий пароль указан неверно.",
    problem_taken: "Это значение уже использует другая учётная запись.",
    problem_link_invalid: "Ссылка недействительна: она уже использована, истекла или неполная. Запросите новую.",
    problem_unknown_choice: "Выберите один из вариантов.",
    problem_invalid_characters: "Удалите из поля управляющие символы.",
    problem_invalid_format: "Проверьте формат значения.",
    problem_out_of_range: "Введите число от {min} до {max}.",

    error_summary_title: "Есть ошибки",
    error_unauthenticated: "Войдите, чтобы продолжить.",
    error_forbidden: "У вас нет доступа к этому разделу.",
    error_read_only: "Вы просматриваете учётную запись только для чтения. Чтобы действовать за клиента, разрешите изменения в плашке вверху.",
    error_not_found: "Не найдено.",
    error_rate_limited: "Слишком много попыток. Повторите через {} мин.",
    error_internal: "Что-то пошло не так на нашей стороне. Повторите попытку; если ошибка повторяется, обратитесь в поддержку.",
    error_transport: "Сервер недоступен. Проверьте соединение и повторите попытку.",
    error_invalid: "Проверьте отмеченные поля.",

    not_found_title: "Страница не найдена",
    not_found_lead: "Возможно, адрес набран с ошибкой или страница перемещена.",
    forbidden_title: "Нет доступа",
    forbidden_lead: "У вашей учётной записи нет доступа к этой странице. Если он нужен, обратитесь к администратору.",
    go_home: "На главную",
    loading: "Загрузка…",

    home_greeting: "Здравствуйте, {}",
    home_lead_staff: "Что происходит в сервисной службе.",
    home_lead_reseller: "Ваши клиенты — коротко.",
    home_lead_customer: "Ваши заявки и оборудование — коротко.",
    stat_open_tickets: "Открытые заявки",
    stat_companies: "Компании-клиенты",
    stat_equipment: "Оборудование",
    stat_outbox: "Сообщений в исходящих",

    profile_title: "Профиль",
    profile_lead: "Личные данные и настройки входа.",
    full_name_label: "ФИО",
    full_name_info: "Как вас увидят коллеги и сервисная компания, например в актах выполненных работ.",
    email_label: "E-mail",
    email_info: "Для входа, уведомлений и ссылок на сброс пароля.",
    phone_label: "Телефон",
    phone_info: "В международном формате, например +7 912 345-67-89. Можно использовать для входа и SMS.",
    language_info: "Язык интерфейса и писем, которые вы получаете.",
    save: "Сохранить",
    saving: "Сохраняем…",
    profile_saved: "Профиль сохранён.",
    profile_password_label: "Пароль для подтверждения",
    profile_password_info: "E-mail и телефон — ваши данные для входа: чтобы изменить их, нужен пароль. После этого остальные сеансы будут завершены.",
    profile_password_hint: "только для смены e-mail или телефона",
    change_password_title: "Смена пароля",
    current_password_label: "Текущий пароль",
    change_password_button: "Сменить пароль",
    password_changed: "Пароль изменён. Остальные сеансы завершены.",
    optional: "необязательно",

    outbox_title: "Исходящие",
    outbox_lead: "Все письма и SMS, которые система отправила или сохранила. Если SMTP-сервер не настроен, сообщения остаются здесь.",
    outbox_empty: "Сообщений пока нет. Здесь появятся ссылки для сброса пароля и приглашения.",
    channel_email: "E-mail",
    channel_sms: "SMS",
    status_stored: "Сохранено",
    status_sent: "Отправлено",
    status_failed: "Ошибка",
    col_time: "Время (UTC)",
    col_channel: "Канал",
    col_recipient: "Кому",
    col_subject: "Тема",
    col_status: "Статус",
    col_message: "Сообщение",
    col_number: "Номер",
    col_company: "Компания",
    col_stage: "Статус",
    col_created: "Создана",
    col_name: "Название",
    col_tax_id: "ИНН",
    col_city: "Город",
    col_reseller: "Реселлер",
    col_equipment: "Оборудование",
    col_open_tickets: "Открытые заявки",
    load_more: "Показать ещё",

    settings_lead: "Настройки Atrium сервисной компании.",
    outbox_card: "Письма и SMS, которые система отправила или сохранила.",

    customers_lead: "Компании, которые вы обслуживаете.",
    customers_empty: "Компаний-клиентов пока нет.",
    tickets_lead: "Доступные вам заявки, сначала новые.",
    tickets_empty: "Заявок пока нет.",
    area_coming_title: "Здесь пока пусто",
    area_messages: "Здесь будут переписки по заявкам, сначала новые, с числом непрочитанных.",
    area_equipment: "Здесь будет реестр оборудования с паспортами и QR-этикетками.",
    area_orders: "Здесь будут заказы услуг из каталога.",
    area_invoices: "Здесь будут счета и статус их оплаты.",
    area_analytics: "Здесь будут отчёты по заявкам: по статусам и по объектам во времени.",
    no_reseller: "Напрямую",

    stage_new: "Новая",
    stage_approval: "Согласование",
    stage_in_work: "В работе",
    stage_work_completed: "Работы выполнены",
    stage_done: "Выполнена",
    stage_closed: "Закрыта",
    stage_refused: "Отказ заказчика",

    accepted_by_label: "Кто принял (ФИО)",
    accepted_email_label: "E-mail принявшего",
    accepted_on_label: "Дата принятия",
    add_customer: "Добавить клиента",
    agreement_accepted_label: "Клиент принял договор обслуживания",
    agreement_explained: "Подтвердите, что уполномоченное лицо клиента приняло договор обслуживания. Эта запись хранится в карточке клиента.",
    agreement_title: "Договор принят",
    agreement_version_info: "Версия текста договора, которую принял клиент.",
    agreement_version_label: "Версия договора",
    any: "Любой",
    apply: "Применить",
    back: "Назад",
    billing_period_label: "Период оплаты",
    cancel: "Отмена",
    catalog_empty: "Предложений пока нет. Добавьте первое с помощью формы.",
    catalog_lead: "Предложения, на которые подписываются клиенты: цена и период оплаты.",
    catalog_title: "Каталог",
    col_actions: "Действия",
    col_contacts: "Контакты",
    company_admin: "администратор компании",
    company_legend: "Компания",
    confirm_name_info: "Введите название компании точно как указано выше — это защищает от удаления не того клиента.",
    confirm_name_label: "Введите название компании для подтверждения",
    contact_email_label: "E-mail контакта",
    contact_legend: "Основной контакт",
    contact_phone_label: "Телефон контакта",
    continue_label: "Продолжить",
    country_label: "Страна",
    create_customer: "Создать клиента",
    currency_label: "Валюта",
    customer_created_lead: "Клиент добавлен в реестр. Что обычно делают дальше:",
    customer_created_title: "Клиент создан",
    customer_deleted_notice: "Клиент удалён. Его пользователи потеряли доступ; заявки, акты и счета сохранены.",
    customer_is_deleted: "Клиент удалён: его пользователи не могут войти. Его можно восстановить.",
    customer_sections: "Разделы клиента",
    customer_status_active: "Активен",
    customer_status_deleted: "Удалён",
    customer_status_suspended: "Приостановлен",
    customers_empty_hint: "Ничего не найдено. Измените поиск или фильтры либо добавьте клиента.",
    customers_search_hint: "Название, ИНН, e-mail или телефон",
    delete: "Удалить",
    delete_customer: "Удалить клиента",
    delete_customer_explained: "Компания и все её пользователи сразу потеряют доступ. Заявки, акты и счета сохранятся в учёте сервисной компании; администратор сможет восстановить клиента.",
    details: "Подробнее",
    duplicate_advice: "Откройте существующего клиента вместо создания второй записи или исправьте ИНН и e-mail на шаге 1.",
    duplicate_both: "совпадают ИНН и e-mail",
    duplicate_email: "совпадает e-mail",
    duplicate_found: "Возможно, такой клиент уже есть.",
    duplicate_hidden: "Клиент, которого вы не обслуживаете",
    duplicate_tax_id: "совпадает ИНН",
    first_name_label: "Имя",
    last_name_label: "Фамилия",
    legal_name_info: "Официальное название, как в договорах и счетах.",
    legal_name_label: "Юридическое название",
    licences_label: "Лицензии",
    next_back_to_list: "Вернуться к списку клиентов",
    next_check_details: "Проверить адрес и реквизиты",
    next_invite_users: "Пригласить пользователей клиента",
    no_reseller_long: "Без реселлера — прямой клиент",
    offer_add: "Добавить предложение",
    offer_label: "Предложение",
    offer_reactivate: "Вернуть в продажу",
    offer_retire: "Снять с продажи",
    offer_retired: "Снято",
    period_monthly: "Ежемесячно",
    period_one_time: "Разово",
    period_yearly: "Ежегодно",
    postal_code_info: "Шесть цифр в России, Беларуси и Казахстане.",
    postal_code_label: "Индекс",
    price_info: "За лицензию в период, например 1 500,00.",
    region_label: "Регион",
    reseller_fixed: "Клиент будет вашим: как реселлер вы добавляете клиентов в свой аккаунт.",
    reseller_fixed_short: "Ваш аккаунт реселлера",
    reseller_question: "Какой реселлер обслуживает клиента?",
    restore: "Восстановить",
    save_and_continue: "Сохранить и продолжить",
    saved_notice: "Сохранено.",
    search_label: "Поиск",
    sort_label: "Сортировка",
    sort_name: "По названию",
    sort_newest: "Сначала новые",
    step_account: "Данные клиента",
    step_agreement: "Договор",
    step_reseller: "Реселлер",
    step_review: "Проверка",
    step_subscriptions: "Подписки",
    street_label: "Улица и дом",
    subscriptions_empty: "Подписок нет.",
    subscriptions_explained: "Выберите предложения и число лицензий для старта. Этот шаг можно пропустить и вернуться к нему позже.",
    subscriptions_none: "Нет",
    tab_acts: "Акты",
    tab_address: "Адрес",
    tab_general: "Общие",
    tab_history: "История",
    tab_nothing_yet: "Здесь пока ничего нет.",
    tab_subscriptions: "Договоры и подписки",
    tab_users: "Пользователи",
    tax_id_info: "В России — ИНН: 10 цифр для организации, 12 для ИП.",
    unit_price_label: "Цена за единицу",
    unsaved_confirm: "На вкладке есть несохранённые изменения. Уйти без сохранения?",
    update: "Изменить",
    user_active: "Активен",
    user_disabled: "Отключён",
    user_invited: "Приглашён",
    users_empty: "Пользователей пока нет.",
    website_label: "Сайт",
    wizard_lead: "Каждый шаг сохраняется: можно уйти и вернуться позже.",
    wizard_progress: "Шаги",
    wizard_step_locked: "Сначала заполните предыдущие шаги.",
    nav_catalog: "Каталог",
    catalog_card: "Предложения, цены и периоды оплаты для подписок клиентов.",
    invite_title: "Пригласить пользователя",
    invite_lead: "Пользователь получит ссылку по e-mail или SMS, задаст пароль и войдёт в портал.",
    invite_name_label: "ФИО",
    invite_sees_label: "Пользователь видит",
    sees_company: "Все заявки компании",
    sees_own: "Только свои заявки",
    invite_admin_label: "Администратор компании: может приглашать коллег",
    invite_channel_label: "Отправить приглашение",
    channel_both: "E-mail и SMS",
    invite_button: "Отправить приглашение",
    invited_notice: "Приглашение отправлено.",
    resend: "Отправить снова",
    disable: "Отключить",
    enable: "Включить",
    invitation_title: "Добро пожаловать в Atrium",
    invitation_lead: "Задайте пароль, чтобы завершить настройку учётной записи. Вход выполнится сразу.",
    invitation_for: "Приглашение в",
    invitation_button: "Задать пароль и войти",
    invitation_invalid: "Приглашение недействительно: оно уже использовано, истекло или ссылка неполная. Попросите отправить его снова.",
    colleagues_title: "Пригласить коллегу",
    colleagues_lead: "Как администратор компании вы можете дать коллегам доступ к её заявкам.",
    company_label: "Компания",
    mail_invitation_subject: "Доступ к порталу {company} в Atrium",
    mail_invitation_body: "Здравствуйте, {name}.\n\nВам открыт доступ к сервисному порталу {company}: создавайте заявки и следите за ними, общайтесь с инженерами, подписывайте акты выполненных работ.\n\nОткройте ссылку, чтобы задать пароль и войти:\n\n{link}\n\nСсылка срабатывает один раз и действует {days} дней.\n\nAtrium",
    sms_invitation_body: "Atrium: доступ к {company}. Задайте пароль: {link}",
    acting_as: "Вы в учётной записи: {name}",
    acting_read_only: "только просмотр",
    acting_can_write: "изменения разрешены",
    acting_until: "до",
    allow_changes: "Разрешить изменения",
    back_to_read_only: "Только просмотр",
    return_to_own: "Вернуться в свою учётную запись",
    log_in_as: "Войти как",
    log_in_as_reason_label: "Причина входа в учётную запись клиента",
    log_in_as_reason_info: "Обязательно; клиент увидит её в истории своей учётной записи, например «Проверяю заявку T-1005 вместе с клиентом по телефону».",
    log_in_as_explained: "Вы увидите портал так, как его видит пользователь, только для чтения, 30 минут. Все действия записываются.",
    visits_title: "История учётной записи",
    visits_lead: "Входы сотрудников сервисной компании в вашу учётную запись.",
    visits_empty: "Сотрудники сервисной компании не входили в вашу учётную запись.",
    visit_started: "вошёл(ла) в вашу учётную запись",
    visit_write: "разрешил(а) себе изменения",
    visit_ended: "вышел(ла) из вашей учётной записи",
    request_relationship: "Запросить связь",
    relationship_sent: "Запрос отправлен администраторам клиента. Они решат по ссылке из письма.",
    relationship_title: "Запрос на обслуживание",
    relationship_lead: "{reseller} просит обслуживать {company} как реселлер: компания появится в его списке клиентов, он сможет оформлять заказы и помогать с учётной записью.",
    accept: "Принять",
    decline: "Отклонить",
    relationship_accepted: "Принято: теперь реселлер обслуживает вашу компанию.",
    relationship_declined: "Отклонено. Ничего не изменилось.",
    relationship_invalid: "Запрос недействителен: по нему уже принято решение, он истёк или ссылка неполная.",
    relationship_sign_in: "Войдите как администратор компании, чтобы принять решение.",
    mail_relationship_subject: "{reseller} предлагает обслуживать вашу компанию в Atrium",
    mail_relationship_body: "Здравствуйте.\n\n{reseller} просит стать реселлером {company} в Atrium. Как администратор компании вы можете принять или отклонить запрос:\n\n{link}\n\nПока вы не решите, ничего не изменится.\n\nAtrium",
    mail_reset_subject: "Сброс пароля Atrium",
    mail_reset_body: "Здравствуйте, {name}.\n\nКто-то (надеемся, вы) запросил сброс пароля вашей учётной записи Atrium. Откройте ссылку, чтобы выбрать новый пароль:\n\n{link}\n\nСсылка срабатывает один раз и действует {minutes} минут. Если вы не запрашивали сброс, просто проигнорируйте письмо — пароль останется прежним.\n\nAtrium",
    sms_reset_body: "Сброс пароля Atrium: {link}",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_beats_accept_language_and_english_is_the_fallback() {
        assert_eq!(
            Locale::negotiate(Some("ru"), Some("en-US,en;q=0.9")),
            Locale::Ru
        );
        assert_eq!(
            Locale::negotiate(None, Some("ru-RU,ru;q=0.9,en;q=0.8")),
            Locale::Ru
        );
        assert_eq!(Locale::negotiate(Some("xx"), Some("de-DE")), Locale::En);
        assert_eq!(Locale::negotiate(None, None), Locale::En);
    }

    #[test]
    fn accept_language_respects_quality() {
        assert_eq!(
            Locale::from_accept_language("en;q=0.3, ru;q=0.8"),
            Some(Locale::Ru)
        );
        assert_eq!(
            Locale::from_accept_language("fr, en;q=0.5"),
            Some(Locale::En)
        );
        assert_eq!(Locale::from_accept_language("ru;q=0"), None);
        assert_eq!(Locale::from_accept_language(";;;,,,q=abc"), None);
    }

    #[test]
    fn messages_with_numbers_are_filled() {
        assert_eq!(
            EN.problem(Problem::TooShort { min: 8 }),
            "Use at least 8 characters."
        );
        assert_eq!(
            RU.problem(Problem::TooLong { max: 128 }),
            "Не более 128 символов."
        );
        assert_eq!(
            RU.error(&AppError::RateLimited {
                retry_after_secs: 61
            }),
            "Слишком много попыток. Повторите через 2 мин."
        );
    }
}

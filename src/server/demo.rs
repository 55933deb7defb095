//! Demo data for a first look: loaded only when the run command asks for it
//! (`--demo`) and only into an empty database. Tests never call it by accident: the
//! integration tests build their own fixtures.

use super::db::{self, users, Db};
use super::passwords;
use crate::domain::ticket::Stage;

pub const DEMO_PASSWORD: &str = "atrium-demo";

/// The demo logins, printed at start: (role, e-mail).
pub const DEMO_LOGINS: &[(&str, &str)] = &[
    ("admin", "admin@atrium.demo"),
    ("manager", "manager@atrium.demo"),
    ("engineer", "engineer@atrium.demo"),
    ("reseller", "reseller@atrium.demo"),
    ("customer (two companies)", "customer@atrium.demo"),
    ("customer (Cosmos Clinics)", "cosmos@atrium.demo"),
];

struct Company {
    name: &'static str,
    tax_id: &'static str,
    city: &'static str,
    street: &'static str,
    postal_code: &'static str,
    phone: &'static str,
    email: &'static str,
    contact: (&'static str, &'static str, &'static str),
    with_reseller: bool,
}

const COMPANIES: [Company; 3] = [
    Company {
        name: "Acme Manufacturing",
        tax_id: "7701234567",
        city: "Moscow",
        street: "Tverskaya 12",
        postal_code: "125009",
        phone: "+74951230001",
        email: "office@acme.example",
        contact: ("Olga", "Ivanova", "olga@acme.example"),
        with_reseller: true,
    },
    Company {
        name: "Borealis Hotels",
        tax_id: "7812345678",
        city: "Saint Petersburg",
        street: "Nevsky 45",
        postal_code: "191025",
        phone: "+78123450002",
        email: "desk@borealis.example",
        contact: ("Olga", "Ivanova", "olga@borealis.example"),
        with_reseller: false,
    },
    Company {
        name: "Cosmos Clinics",
        tax_id: "5409876543",
        city: "Novosibirsk",
        street: "Krasny 8",
        postal_code: "630099",
        phone: "+73832000003",
        email: "it@cosmos.example",
        contact: ("Kirill", "Kosmos", "cosmos@atrium.demo"),
        with_reseller: true,
    },
];

/// Units of every demo customer: name, class, model, manufacturer, and whether it stands
/// in the plant room (else directly on the site).
const EQUIPMENT: [(&str, &str, &str, &str, bool); 3] = [
    ("Chiller CH-2", "HVAC", "30RB-262", "Carrier", true),
    ("Server room UPS", "Power", "Smart-UPS 3000", "APC", true),
    ("Passenger lift 1", "Lift", "MonoSpace 500", "KONE", false),
];

/// Sites of the demo customers (one each), with their address.
const SITES: [(&str, &str); 3] = [
    ("Acme plant, Building A", "12 Industrial Ave, Kazan"),
    (
        "Borealis Hotel Central",
        "5 Nevsky Prospekt, Saint Petersburg",
    ),
    ("Cosmos Clinic No. 1", "40 Lenina St, Novosibirsk"),
];

async fn demo_object(
    db: &Db,
    company_id: i64,
    parent_id: Option<i64>,
    kind: &str,
    fields: [&str; 5],
    now: i64,
) -> Result<i64, sqlx::Error> {
    let [name, class, model, manufacturer, location] = fields;
    let opt = |v: &str| (!v.is_empty()).then(|| v.to_owned());
    let search = [name, model, manufacturer, class]
        .iter()
        .filter(|v| !v.is_empty())
        .map(|v| v.to_lowercase())
        .collect::<Vec<_>>()
        .join(" ");
    sqlx::query_scalar(
        "INSERT INTO equipment (company_id, parent_id, kind, name, name_search, search_text, class, model,             manufacturer, serial_number, installed_on, warranty_until, location, qr_token, created_at, updated_at)          VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) RETURNING id",
    )
    .bind(company_id)
    .bind(parent_id)
    .bind(kind)
    .bind(name)
    .bind(name.to_lowercase())
    .bind(search)
    .bind(opt(class))
    .bind(opt(model))
    .bind(opt(manufacturer))
    .bind((kind == "unit").then(|| format!("SN-{company_id:02}{:06}", name.len() * 7919)))
    .bind((kind == "unit").then_some("2024-03-15"))
    .bind((kind == "unit").then_some("2027-03-14"))
    .bind(opt(location))
    .bind(super::services::equipment::new_token())
    .bind(now)
    .fetch_one(db)
    .await
}

/// Seeds the demo when the database has no users yet. Returns whether it did.
pub async fn seed_if_empty(db: &Db, backend: super::db::Backend) -> Result<bool, sqlx::Error> {
    if users::count(db).await? > 0 {
        return Ok(false);
    }
    let now = db::now();
    let hash = passwords::hash(DEMO_PASSWORD.to_owned())
        .await
        .ok_or_else(|| sqlx::Error::Protocol("hashing".into()))?;
    let mut tx = db.begin().await?;

    let reseller_id: i64 =
        sqlx::query_scalar("INSERT INTO resellers (name, created_at) VALUES ($1, $2) RETURNING id")
            .bind("Northwind Partners")
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
    sqlx::query(
        "INSERT INTO companies (kind, name, name_search, tax_id, email, city, created_at, updated_at) \
         VALUES ('service', $1, $2, $3, $4, $5, $6, $6)",
    )
    .bind("Atrium Service")
    .bind("atrium service")
    .bind("7700000001")
    .bind("hello@atrium.demo")
    .bind("Moscow")
    .bind(now)
    .execute(&mut *tx)
    .await?;

    let mut company_ids = Vec::new();
    for company in &COMPANIES {
        let account = crate::domain::company::AccountDetails {
            legal_name: company.name.into(),
            tax_id: company.tax_id.into(),
            country: "RU".into(),
            region: String::new(),
            city: company.city.into(),
            street: company.street.into(),
            postal_code: company.postal_code.into(),
            phone: company.phone.into(),
            email: company.email.into(),
            website: String::new(),
            contact_first_name: company.contact.0.into(),
            contact_last_name: company.contact.1.into(),
            contact_email: company.contact.2.into(),
            contact_phone: String::new(),
        };
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO companies (kind, name, name_search, search_text, tax_id, email, phone, country, city, street, \
             postal_code, reseller_id, contact_first_name, contact_last_name, contact_email, agreement_accepted_by, \
             agreement_accepted_email, agreement_accepted_at, agreement_version, created_at, updated_at) \
             VALUES ('customer', $1, $2, $3, $4, $5, $6, 'RU', $7, $8, $9, $10, $11, $12, $13, $14, $13, $15, '2026-01', $15, $15) \
             RETURNING id",
        )
        .bind(company.name)
        .bind(company.name.to_lowercase())
        .bind(account.search_text())
        .bind(company.tax_id)
        .bind(company.email)
        .bind(company.phone)
        .bind(company.city)
        .bind(company.street)
        .bind(company.postal_code)
        .bind(company.with_reseller.then_some(reseller_id))
        .bind(company.contact.0)
        .bind(company.contact.1)
        .bind(company.contact.2)
        .bind(format!("{} {}", company.contact.0, company.contact.1))
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        company_ids.push(id);
    }
    tx.commit().await?;

    let user = |role: &'static str,
                name: &'static str,
                email: &'static str,
                phone: &'static str,
                reseller: Option<i64>| {
        users::NewUser {
            role,
            full_name: name,
            email: Some(email),
            phone: Some(phone),
            password_hash: Some(&hash),
            language: "en",
            reseller_id: reseller,
        }
    };
    users::insert(
        db,
        &user(
            "admin",
            "Anna Admin",
            "admin@atrium.demo",
            "+79990000001",
            None,
        ),
        now,
    )
    .await?;
    users::insert(
        db,
        &user(
            "manager",
            "Mikhail Manager",
            "manager@atrium.demo",
            "+79990000002",
            None,
        ),
        now,
    )
    .await?;
    let engineer = users::insert(
        db,
        &user(
            "engineer",
            "Egor Engineer",
            "engineer@atrium.demo",
            "+79990000003",
            None,
        ),
        now,
    )
    .await?;
    users::insert(
        db,
        &user(
            "reseller",
            "Rita Reseller",
            "reseller@atrium.demo",
            "+79990000004",
            Some(reseller_id),
        ),
        now,
    )
    .await?;
    let olga = users::insert(
        db,
        &user(
            "customer",
            "Olga Ivanova",
            "customer@atrium.demo",
            "+79990000005",
            None,
        ),
        now,
    )
    .await?;
    users::add_membership(db, olga, company_ids[0], true, now).await?;
    users::add_membership(db, olga, company_ids[1], true, now).await?;
    let cosmos = users::insert(
        db,
        &user(
            "customer",
            "Kirill Kosmos",
            "cosmos@atrium.demo",
            "+79990000006",
            None,
        ),
        now,
    )
    .await?;
    users::add_membership(db, cosmos, company_ids[2], true, now).await?;

    let mut number = 1000;
    let mut ticket_ids = Vec::new();
    let mut conversation: Option<(i64, i64)> = None;
    sqlx::query(
        "INSERT INTO sla_rules (contract_id, name, reaction_minutes, resolution_minutes) VALUES (NULL, 'Standard: 4 h / 3 days', 240, 4320)",
    )
    .execute(db)
    .await?;
    for (index, company_id) in company_ids.iter().enumerate() {
        let contract_id: i64 = sqlx::query_scalar(
            "INSERT INTO contracts (company_id, number, title, starts_on, created_at) VALUES ($1, $2, $3, '2026-01-01', $4) RETURNING id",
        )
        .bind(company_id)
        .bind(format!("SC-2026-{:03}", index + 1))
        .bind("Maintenance and repair")
        .bind(now)
        .fetch_one(db)
        .await?;
        sqlx::query(
            "INSERT INTO sla_rules (contract_id, name, criticality, reaction_minutes, resolution_minutes) \
             VALUES ($1, 'Urgent: 1 h / 8 h', 'urgent', 60, 480)",
        )
        .bind(contract_id)
        .execute(db)
        .await?;
        let mut equipment_ids = Vec::new();
        let (site_name, address) = SITES[index % SITES.len()];
        let site = demo_object(
            db,
            *company_id,
            None,
            "site",
            [site_name, "", "", "", address],
            now,
        )
        .await?;
        let room = demo_object(
            db,
            *company_id,
            Some(site),
            "room",
            ["Plant room", "", "", "", "Basement, room B-04"],
            now,
        )
        .await?;
        for (name, class, model, manufacturer, in_room) in EQUIPMENT {
            let (parent, location) = if in_room {
                (room, format!("{address}, basement, room B-04"))
            } else {
                (site, format!("{address}, main hall"))
            };
            let id = demo_object(
                db,
                *company_id,
                Some(parent),
                "unit",
                [name, class, model, manufacturer, &location],
                now,
            )
            .await?;
            sqlx::query(
                "INSERT INTO contract_equipment (contract_id, equipment_id) VALUES ($1, $2)",
            )
            .bind(contract_id)
            .bind(id)
            .execute(db)
            .await?;
            equipment_ids.push(id);
        }
        // One ticket in every stage for every company, spread over the last weeks.
        for (i, stage) in Stage::ALL.into_iter().enumerate() {
            number += 1;
            let created = now - ((Stage::ALL.len() - i) as i64) * 3 * 86_400 - index as i64 * 3_600;
            let subject = match stage {
                Stage::New => "Chiller makes a knocking noise",
                Stage::Approval => "Replace UPS batteries (quote attached)",
                Stage::InWork => "Lift stops between floors",
                Stage::WorkCompleted => "Quarterly chiller maintenance",
                Stage::Done => "UPS alarm after power cut",
                Stage::Closed => "Lift door sensor replaced",
                Stage::Refused => "Move the chiller to the roof",
            };
            let urgent = i % 3 == 0;
            let (rule, reaction, resolution) = if urgent {
                ("Urgent: 1 h / 8 h", 3_600, 8 * 3_600)
            } else {
                ("Standard: 4 h / 3 days", 4 * 3_600, 3 * 86_400)
            };
            let waiting = crate::domain::workflow::waits_on_customer(stage);
            let ticket_id: i64 = sqlx::query_scalar(
                "INSERT INTO tickets (number, company_id, equipment_id, contract_id, created_by, ticket_type, criticality, \
                 work_type, subject, description, stage, source, created_at, updated_at, closed_at, \
                 reaction_due_at, resolution_due_at, sla_rule_name, reacted_at, paused_at) \
                 VALUES ($1, $2, $3, $4, $5, 'repair', $6, 'repair', $7, $8, $9, 'portal', $10, $10, $11, $12, $13, $14, $15, $16) RETURNING id",
            )
            .bind(format!("T-{number}"))
            .bind(company_id)
            .bind(equipment_ids[i % equipment_ids.len()])
            .bind(contract_id)
            .bind(if index == 2 { cosmos } else { olga })
            .bind(if urgent { "urgent" } else { "normal" })
            .bind(subject)
            .bind(format!("{subject}. Reported through the customer portal."))
            .bind(stage.code())
            .bind(created)
            .bind((stage == Stage::Closed).then_some(created + 86_400))
            .bind(created + reaction)
            .bind(created + resolution)
            .bind(rule)
            .bind((stage != Stage::New).then_some(created + 1_800))
            .bind(waiting.then_some(now - 3_600))
            .fetch_one(db)
            .await?;
            ticket_ids.push(ticket_id);
            sqlx::query(
                "INSERT INTO ticket_stage_history (ticket_id, from_stage, to_stage, actor_user_id, at) VALUES ($1, NULL, $2, $3, $4)",
            )
            .bind(ticket_id)
            .bind(stage.code())
            .bind(olga)
            .bind(created)
            .execute(db)
            .await?;
            let filer = if index == 2 { cosmos } else { olga };
            let mut members = vec![filer];
            if stage != Stage::New {
                sqlx::query("INSERT INTO ticket_performers (ticket_id, user_id) VALUES ($1, $2)")
                    .bind(ticket_id)
                    .bind(engineer)
                    .execute(db)
                    .await?;
                members.push(engineer);
            }
            let mut conn = db.acquire().await?;
            for member in members {
                super::db::chat::add_member(&mut conn, ticket_id, member, created).await?;
            }
            drop(conn);
            if index == 0 && stage == Stage::InWork {
                conversation = Some((ticket_id, created));
            }
        }
    }
    // A conversation under way: the engineer's answer is still unread by the customer.
    if let Some((ticket_id, created)) = conversation {
        let lines = [
            (olga, "The lift stopped again this morning between floors 3 and 4. Nobody was inside, luckily."),
            (engineer, "Thank you. I will be on site today at 14:00 — please keep the machine room open."),
        ];
        for (i, (author, body)) in lines.into_iter().enumerate() {
            let at = created + 2_000 + i as i64 * 900;
            super::db::chat::insert(
                db,
                &super::db::chat::NewMessage {
                    ticket_id,
                    author,
                    client_key: &format!("demo-message-{i}"),
                    body,
                    files: &[],
                    now: at,
                    notice_due_at: at,
                },
            )
            .await?;
        }
        // The demo starts quiet: nothing waits to be announced.
        sqlx::query("DELETE FROM chat_pending").execute(db).await?;
    }
    // Numbers continue after the demo's; every ticket is searchable.
    sqlx::query("UPDATE counters SET value = $1 WHERE name = 'ticket'")
        .bind(number)
        .execute(db)
        .await?;
    let mut conn = db.acquire().await?;
    for id in ticket_ids {
        super::db::tickets::reindex(&mut conn, backend, id).await?;
    }
    drop(conn);
    sqlx::query(
        "INSERT INTO offers (name, unit_price_minor, currency, billing_period, created_at) VALUES \
         ('Maintenance plan: standard', 1500000, 'RUB', 'monthly', $1), \
         ('Remote monitoring licence', 90000, 'RUB', 'monthly', $1), \
         ('On-site diagnostics visit', 750000, 'RUB', 'one_time', $1)",
    )
    .bind(now)
    .execute(db)
    .await?;
    Ok(true)
}

/// Completed works and acts for the demo, through the same services users go through:
/// every ticket waiting for the customer's confirmation has works and an act to sign;
/// the done ones have a signed act. Runs right after [`seed_if_empty`] loaded the data.
pub async fn seed_works(state: &super::state::AppState) -> Result<(), crate::error::AppError> {
    use super::services::acts;
    use crate::domain::act::{SignInput, Signature};
    use crate::domain::policy::{Actor, CustomerView};
    use crate::domain::role::Role;
    use crate::domain::works::LineInput;
    let db = &state.db;
    sqlx::query(
        "UPDATE companies SET street = 'Lesnaya 5', postal_code = '125047', bank_name = 'Demo Bank', \
                bank_account = '40702810900000000001', bank_code = '044525000' WHERE kind = 'service'",
    )
    .execute(db)
    .await?;
    sqlx::query("UPDATE companies SET bank_name = 'Client Bank', bank_account = '40702810100000000777', bank_code = '044525111' WHERE kind = 'customer'")
        .execute(db)
        .await?;
    let engineer: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind("engineer@atrium.demo")
        .fetch_one(db)
        .await?;
    let staff = Actor {
        user_id: engineer,
        role: Role::Engineer,
        reseller_id: None,
        company_ids: vec![],
        view: CustomerView::Company,
    };
    let tickets: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT id, stage, company_id FROM tickets WHERE stage IN ('work_completed', 'done') ORDER BY id",
    )
    .fetch_all(db)
    .await?;
    let lines = [
        (
            false,
            "maintenance",
            "Scheduled maintenance of the unit",
            "1",
            "h",
            "4500",
            "3",
        ),
        (
            false,
            "diagnostics",
            "Leak test and refrigerant pressure check",
            "1",
            "pcs",
            "2000",
            "1",
        ),
        (true, "", "Air filter G4", "2", "pcs", "850", ""),
    ];
    let mut rated = false;
    for (ticket_id, stage, company_id) in tickets {
        // Lines can be recorded only while the ticket is open for works.
        sqlx::query("UPDATE tickets SET stage = 'work_completed' WHERE id = $1")
            .bind(ticket_id)
            .execute(db)
            .await?;
        for (is_material, work_type, description, quantity, unit, price, hours) in lines {
            let input = LineInput {
                is_material,
                work_type: work_type.into(),
                description: description.into(),
                quantity: quantity.into(),
                unit: unit.into(),
                unit_price: price.into(),
                hours: hours.into(),
                files: vec![],
            };
            acts::save_line(state, &staff, ticket_id, None, &input).await?;
        }
        let act = acts::issue(state, &staff, ticket_id).await?;
        if stage == "done" {
            let customer: i64 = sqlx::query_scalar(
                "SELECT user_id FROM memberships WHERE company_id = $1 ORDER BY user_id LIMIT 1",
            )
            .bind(company_id)
            .fetch_one(db)
            .await?;
            let signer = Actor {
                user_id: customer,
                role: Role::Customer,
                reseller_id: None,
                company_ids: vec![company_id],
                view: CustomerView::Company,
            };
            let signature = Signature {
                strokes: vec![
                    vec![(80, 260), (160, 120), (220, 300), (300, 140), (380, 280)],
                    vec![(420, 220), (560, 200), (700, 240), (860, 180)],
                ],
            };
            acts::sign(
                state,
                &signer,
                &SignInput {
                    act_id: act,
                    signer_name: "Olga Ivanova".into(),
                    signature,
                },
                false,
            )
            .await?;
            if !rated {
                // The first done ticket is rated too, so the report and the profile show it.
                let criteria: Vec<i64> = sqlx::query_scalar(
                    "SELECT id FROM rating_criteria WHERE archived = 0 ORDER BY position, id",
                )
                .fetch_all(db)
                .await?;
                let scores = criteria
                    .iter()
                    .zip([5, 5, 4])
                    .map(|(c, s)| (*c, s))
                    .collect();
                acts::rate(
                    state,
                    &signer,
                    &crate::domain::act::RatingInput {
                        ticket_id,
                        engineer_id: engineer,
                        scores,
                        comment: "Came on time and left the plant room tidy.".into(),
                    },
                )
                .await?;
                rated = true;
            }
        }
    }
    // The demo starts quiet: nothing from the seeding waits in the bell.
    sqlx::query("DELETE FROM notifications").execute(db).await?;
    Ok(())
}

/// The label address of the first demo unit, to print at start.
pub async fn label_url(state: &super::state::AppState) -> Option<String> {
    let token: Option<(String,)> = sqlx::query_as(
        "SELECT qr_token FROM equipment WHERE kind = 'unit' AND retired_at IS NULL ORDER BY id LIMIT 1",
    )
    .fetch_optional(&state.db)
    .await
    .ok()
    .flatten();
    token.map(|(t,)| super::services::equipment::label_url(state, &t))
}

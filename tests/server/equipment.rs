//! The equipment registry and its QR labels, through the HTTP surface: saving objects in
//! the tree (by field, nothing stored on refusal), scoped lists with keyset pages, the
//! public page and its report form (honeypot, rate limits, rotated labels), registering
//! through a label — and that a QR-registered user reaches nothing but what they scanned.

use crate::on_both;
use crate::support::{
    actor, assert_outsiders_refused, call, call_json, get, send, sign_in, ticket, world, World,
};
use atrium::domain::equipment::{EquipmentInput, Kind};
use atrium::domain::role::Role;
use atrium::domain::validate::Problem;
use atrium::error::AppError;
use atrium::server::router;
use atrium::server::services::equipment;
use atrium::server::state::AppState;
use axum::body::Body;
use axum::Router;
use http::{header, Request, StatusCode};
use serde_json::{json, Value};

fn object(company: i64, kind: Kind, name: &str, parent: Option<i64>) -> EquipmentInput {
    EquipmentInput {
        company_id: company,
        parent_id: parent,
        kind: kind.code().into(),
        name: name.into(),
        class: "HVAC".into(),
        serial_number: format!("SN-{name}"),
        location: "Roof, block C".into(),
        ..Default::default()
    }
}

/// A site, a room in it and a unit in the room, for company A.
async fn tree(state: &AppState, w: &World) -> (i64, i64, i64) {
    let admin = actor(w.admin, Role::Admin, vec![]);
    let site = equipment::save(
        state,
        &admin,
        None,
        &object(w.company_a, Kind::Site, "North site", None),
    )
    .await
    .expect("site");
    let room = equipment::save(
        state,
        &admin,
        None,
        &object(w.company_a, Kind::Room, "Plant room", Some(site)),
    )
    .await
    .expect("room");
    let unit = equipment::save(
        state,
        &admin,
        None,
        &object(w.company_a, Kind::Unit, "Chiller 7", Some(room)),
    )
    .await
    .expect("unit");
    (site, room, unit)
}

async fn count(state: &AppState, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&state.db).await.unwrap()
}

async fn token_of(state: &AppState, id: i64) -> String {
    sqlx::query_scalar("SELECT qr_token FROM equipment WHERE id = $1")
        .bind(id)
        .fetch_one(&state.db)
        .await
        .unwrap()
}

/// Calls a JSON server function, signed in or not.
async fn call_public(
    app: &Router,
    cookie: Option<&str>,
    endpoint: &str,
    body: Value,
) -> (StatusCode, Value) {
    let mut request = Request::post(format!("/api/{endpoint}"))
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT, "application/json");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    let reply = send(app, request.body(Body::from(body.to_string())).unwrap()).await;
    let value = serde_json::from_str(&reply.body).unwrap_or(Value::String(reply.body.clone()));
    (reply.status, value)
}

/// Posts the public report form (multipart), as a browser does.
async fn report(
    app: &Router,
    token: &str,
    fields: &[(&str, &str)],
    photo: Option<(&str, &[u8])>,
) -> String {
    let boundary = "----atrium-test-boundary";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
        );
    }
    if let Some((file, bytes)) = photo {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"{file}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    let request = Request::post(format!("/q/{token}/report"))
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .unwrap();
    let reply = send(app, request).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    reply.headers[header::LOCATION].to_str().unwrap().to_owned()
}

/// Decodes a percent-encoded query value.
fn unescape(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
                out.push(u8::from_str_radix(hex, 16).unwrap());
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap()
}

fn good_report<'a>(description: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("description", description),
        ("name", "Ivan the caretaker"),
        ("contact", "+7 900 111-22-33"),
        ("website", ""),
    ]
}

on_both!(
    objects_form_a_tree_and_bad_input_stores_nothing,
    |state: AppState| async move {
        let w = world(&state).await;
        let (site, room, unit) = tree(&state, &w).await;
        let admin = actor(w.admin, Role::Admin, vec![]);
        let before = count(&state, "SELECT COUNT(*) FROM equipment").await;

        // A room cannot sit in a unit, nor a site in anything.
        let err = equipment::save(
            &state,
            &admin,
            None,
            &object(w.company_a, Kind::Room, "Loft", Some(unit)),
        )
        .await
        .unwrap_err();
        assert_eq!(err.field_problem("parent"), Some(Problem::ParentLevel));
        // A parent of another company is unknown.
        let other = equipment::save(
            &state,
            &admin,
            None,
            &object(w.company_b, Kind::Site, "B site", None),
        )
        .await
        .expect("B site");
        let err = equipment::save(
            &state,
            &admin,
            None,
            &object(w.company_a, Kind::Unit, "Pump", Some(other)),
        )
        .await
        .unwrap_err();
        assert_eq!(err.field_problem("parent"), Some(Problem::UnknownChoice));
        // Field rules: several problems at once, each at its field.
        let mut bad = object(w.company_a, Kind::Unit, "  ", Some(room));
        bad.installed_on = "2025-06-01".into();
        bad.warranty_until = "2025-05-01".into();
        bad.notes = "<script>alert(1)</script>\u{0}".into();
        let err = equipment::save(&state, &admin, None, &bad)
            .await
            .unwrap_err();
        assert_eq!(err.field_problem("name"), Some(Problem::Required));
        assert_eq!(
            err.field_problem("warranty_until"),
            Some(Problem::WarrantyBeforeInstall)
        );
        assert_eq!(err.field_problem("notes"), Some(Problem::InvalidCharacters));
        // A reseller manages only its own customers' equipment.
        let mut reseller = actor(w.reseller_user_a, Role::Reseller, vec![]);
        reseller.reseller_id = Some(w.reseller_a);
        let err = equipment::save(
            &state,
            &reseller,
            None,
            &object(w.company_b, Kind::Unit, "Fan", None),
        )
        .await
        .unwrap_err();
        assert_eq!(err.field_problem("company"), Some(Problem::UnknownChoice));
        assert!(equipment::save(
            &state,
            &reseller,
            None,
            &object(w.company_a, Kind::Unit, "Fan", Some(site))
        )
        .await
        .is_ok());
        assert_eq!(
            count(&state, "SELECT COUNT(*) FROM equipment").await,
            before + 2
        );

        // Turning the site into a unit would leave a room inside a unit.
        let mut as_unit = object(w.company_a, Kind::Unit, "North site", None);
        as_unit.company_id = w.company_a;
        let err = equipment::save(&state, &admin, Some(site), &as_unit)
            .await
            .unwrap_err();
        assert_eq!(err.field_problem("kind"), Some(Problem::ParentLevel));
        // Retiring an object with live children is refused; a leaf can be retired.
        let err = equipment::set_retired(&state, &admin, room, true)
            .await
            .unwrap_err();
        assert_eq!(err.field_problem("retire"), Some(Problem::HasChildren));
        equipment::set_retired(&state, &admin, unit, true)
            .await
            .expect("retired");
        equipment::set_retired(&state, &admin, room, true)
            .await
            .expect("room retired");
        // A unit cannot return to service inside a retired room.
        let err = equipment::set_retired(&state, &admin, unit, false)
            .await
            .unwrap_err();
        assert_eq!(err.field_problem("retire"), Some(Problem::ParentLevel));
    }
);

on_both!(
    the_registry_is_scoped_and_pages_by_keyset,
    |state: AppState| async move {
        let w = world(&state).await;
        let (_, room, unit) = tree(&state, &w).await;
        let admin = actor(w.admin, Role::Admin, vec![]);
        for i in 0..55 {
            equipment::save(
                &state,
                &admin,
                None,
                &object(
                    w.company_a,
                    Kind::Unit,
                    &format!("Fan coil {i:02}"),
                    Some(room),
                ),
            )
            .await
            .unwrap();
        }
        let b_unit = equipment::save(
            &state,
            &admin,
            None,
            &object(w.company_b, Kind::Unit, "Чиллер Бета", None),
        )
        .await
        .unwrap();
        let app = router(state.clone());
        let customer_a = sign_in(&app, "customer-a@test.example").await;
        let customer_b = sign_in(&app, "customer-b@test.example").await;
        let reseller_a = sign_in(&app, "reseller-a@test.example").await;
        let manager = sign_in(&app, "manager@test.example").await;

        // Keyset: two pages, nothing twice, nothing lost, no other company's object.
        let list = |after: Value| json!({ "filter": { "search": "", "company_id": null, "class": "", "kind": "", "parent_id": null, "retired": false, "after": after } });
        let first = call_json(&app, &customer_a, "equipment_list", list(Value::Null)).await;
        assert_eq!(first.status, StatusCode::OK, "{}", first.body);
        let first: Value = serde_json::from_str(&first.body).unwrap();
        let next = first["next"].clone();
        assert!(!next.is_null());
        let second: Value = serde_json::from_str(
            &call_json(&app, &customer_a, "equipment_list", list(next))
                .await
                .body,
        )
        .unwrap();
        let mut ids: Vec<i64> = first["items"]
            .as_array()
            .unwrap()
            .iter()
            .chain(second["items"].as_array().unwrap())
            .map(|r| r["id"].as_i64().unwrap())
            .collect();
        assert_eq!(ids.len(), 58);
        assert!(second["next"].is_null());
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 58);
        assert!(!ids.contains(&b_unit));

        // Search folds case in any script; a customer sees only their company's objects.
        let search = |text: &str| json!({ "filter": { "search": text, "company_id": null, "class": "", "kind": "", "parent_id": null, "retired": false, "after": null } });
        let found = call_json(&app, &manager, "equipment_list", search("ЧИЛЛЕР")).await;
        assert!(found.body.contains("Чиллер Бета"), "{}", found.body);
        let hidden = call_json(&app, &customer_a, "equipment_list", search("чиллер")).await;
        assert!(!hidden.body.contains("Бета"), "{}", hidden.body);
        let wildcard = call_json(&app, &manager, "equipment_list", search("%")).await;
        assert!(wildcard.body.contains("\"items\":[]"), "{}", wildcard.body);

        // The passport and every manager's function refuse outsiders.
        let unit_s = unit.to_string();
        assert_outsiders_refused(
            &app,
            &[&customer_b],
            "equipment_passport",
            &[("id", &unit_s)],
            "Chiller 7",
        )
        .await;
        assert_outsiders_refused(
            &app,
            &[&customer_a, &reseller_a],
            "equipment_passport",
            &[("id", &b_unit.to_string())],
            "Бета",
        )
        .await;
        assert_outsiders_refused(
            &app,
            &[&customer_a, &customer_b],
            "rotate_qr",
            &[("id", &unit_s)],
            "",
        )
        .await;
        assert_outsiders_refused(
            &app,
            &[&customer_a, &reseller_a],
            "rotate_qr",
            &[("id", &b_unit.to_string())],
            "",
        )
        .await;
        assert_outsiders_refused(
            &app,
            &[&customer_a],
            "retire_equipment",
            &[("id", &unit_s), ("retire", "true")],
            "",
        )
        .await;
        assert_outsiders_refused(
            &app,
            &[&customer_a, &customer_b],
            "equipment_labels",
            &[("ids", &unit_s)],
            "Chiller 7",
        )
        .await;
        // Labels of objects out of the reseller's reach are simply not on the sheet.
        let sheet = call(
            &app,
            Some(&reseller_a),
            "equipment_labels",
            &[("ids", &format!("{unit},{b_unit}"))],
        )
        .await;
        assert_eq!(sheet.status, StatusCode::OK, "{}", sheet.body);
        assert!(sheet.body.contains("Chiller 7") && !sheet.body.contains("Бета"));
        assert!(sheet.body.contains("<svg"), "the label carries its code");
        let reply = call_json(
            &app,
            &customer_a,
            "save_equipment",
            json!({ "id": null, "input": object(w.company_a, Kind::Unit, "Sneaky", None) }),
        )
        .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN);
        // The passport shows the label only to those who manage the object.
        let seen = call(
            &app,
            Some(&customer_a),
            "equipment_passport",
            &[("id", &unit_s)],
        )
        .await;
        assert_eq!(seen.status, StatusCode::OK);
        assert!(seen.body.contains("\"qr_svg\":null"), "{}", seen.body);
        let managed = call(
            &app,
            Some(&manager),
            "equipment_passport",
            &[("id", &unit_s)],
        )
        .await;
        assert!(managed.body.contains(&token_of(&state, unit).await));
    }
);

on_both!(
    anyone_with_the_label_reports_a_problem_once_and_politely,
    |state: AppState| async move {
        let w = world(&state).await;
        let (_, _, unit) = tree(&state, &w).await;
        let app = router(state.clone());
        let token = token_of(&state, unit).await;
        let tickets = || count(&state, "SELECT COUNT(*) FROM tickets");

        // The public page needs no sign-in and shows the public passport only.
        let page = get(&app, None, &format!("/q/{token}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Chiller 7"));
        assert!(
            !page.body.contains("SN-Chiller 7"),
            "the serial is not public"
        );

        // A bot that fills the honeypot is thanked, and nothing is stored.
        let mut bot = good_report("Buy cheap watches");
        bot[3] = ("website", "http://spam.example");
        let location = report(&app, &token, &bot, None).await;
        assert!(location.ends_with("?reported="), "{location}");
        assert_eq!(tickets().await, 0);

        // Bad input comes back with the error and what was typed; nothing is stored.
        let location = report(
            &app,
            &token,
            &[
                ("description", ""),
                ("name", "Ivan"),
                ("contact", "nope"),
                ("website", ""),
            ],
            None,
        )
        .await;
        assert!(
            location.contains("error=") && location.contains("name=Ivan"),
            "{location}"
        );
        let location = report(
            &app,
            &token,
            &good_report("Leak"),
            Some(("leak.png", b"not really a picture")),
        )
        .await;
        assert!(
            location.contains("error=") && location.contains("description=Leak"),
            "{location}"
        );
        let huge = vec![0u8; (state.config.max_upload_mb as usize) * 1024 * 1024 + 1];
        let location = report(
            &app,
            &token,
            &good_report("Leak"),
            Some(("leak.jpg", &huge)),
        )
        .await;
        assert!(location.contains("FileTooLarge"), "{location}");
        let script = good_report("<script>alert(1)</script>");
        let location = report(
            &app,
            &token,
            &[
                script[0],
                ("name", "<img src=x onerror=alert(1)>"),
                script[2],
                script[3],
            ],
            None,
        )
        .await;
        assert!(location.contains("reported="), "{location}");
        let page = get(&app, None, &format!("/q/{token}")).await;
        assert!(
            !page.body.contains("<img src=x"),
            "typed text is never markup"
        );
        assert_eq!(
            tickets().await,
            1,
            "only the report with markup in its text"
        );

        // A real report files a ticket with source QR for the object, with the reporter.
        let location = report(
            &app,
            &token,
            &good_report("Water under the chiller\nsince this morning"),
            None,
        )
        .await;
        let number = location
            .split("reported=")
            .nth(1)
            .expect("a number")
            .to_owned();
        assert!(!number.is_empty());
        let (source, equipment_id, contact, subject): (String, i64, String, String) =
            sqlx::query_as(
                "SELECT source, equipment_id, contact, subject FROM tickets WHERE number = $1",
            )
            .bind(&number)
            .fetch_one(&state.db)
            .await
            .unwrap();
        assert_eq!((source.as_str(), equipment_id), ("qr", unit));
        assert!(
            contact.contains("Ivan the caretaker") && contact.contains("+79001112233"),
            "{contact}"
        );
        assert_eq!(subject, "Water under the chiller");
        // Staff are told; the page now says it was already reported.
        assert!(count(&state, "SELECT COUNT(*) FROM notifications").await >= 1);
        let (status, object) =
            call_public(&app, None, "public_object", json!({ "token": token })).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(object["open_ticket"]["number"], json!(number));
        assert!(
            object["open_ticket"]["link"].is_null(),
            "anonymous visitors get no link"
        );

        // Five reports from one address in ten minutes; the sixth is refused.
        for i in 0..3 {
            report(&app, &token, &good_report(&format!("Noise {i}")), None).await;
        }
        assert_eq!(tickets().await, 5);
        let location = report(&app, &token, &good_report("One more"), None).await;
        let error: AppError = serde_json::from_str(&unescape(
            location
                .split("error=")
                .nth(1)
                .unwrap()
                .split('&')
                .next()
                .unwrap(),
        ))
        .unwrap();
        assert!(matches!(error, AppError::RateLimited { .. }), "{error:?}");
        assert_eq!(tickets().await, 5);

        // Rotating the token retires every printed label: the old address explains it.
        let admin = actor(w.admin, Role::Admin, vec![]);
        equipment::rotate(&state, &admin, unit).await.unwrap();
        let (_, old) = call_public(&app, None, "public_object", json!({ "token": token })).await;
        assert_eq!(old["state"], json!("Unknown"));
        let location = report(&app, &token, &good_report("Old label"), None).await;
        assert!(!location.contains("reported"), "{location}");
        // Random and malformed tokens are friendly answers, never errors.
        for bad in ["AAAAAAAAAAAAAAAAAAAAAA", "x", "' OR 1=1 --"] {
            let (status, value) =
                call_public(&app, None, "public_object", json!({ "token": bad })).await;
            assert_eq!(
                (status, value["state"].clone()),
                (StatusCode::OK, json!("Unknown")),
                "{bad}"
            );
        }
        // A retired object's label says so.
        let fresh = token_of(&state, unit).await;
        equipment::set_retired(&state, &admin, unit, true)
            .await
            .unwrap();
        let (_, retired) =
            call_public(&app, None, "public_object", json!({ "token": fresh })).await;
        assert_eq!(retired["state"], json!("Retired"));
    }
);

on_both!(
    a_qr_registered_user_sees_only_what_they_scanned,
    |state: AppState| async move {
        let w = world(&state).await;
        let (site, room, unit) = tree(&state, &w).await;
        let admin = actor(w.admin, Role::Admin, vec![]);
        let pump = equipment::save(
            &state,
            &admin,
            None,
            &object(w.company_a, Kind::Unit, "Pump 3", Some(room)),
        )
        .await
        .unwrap();
        // A ticket of the same company on another object, and one on the scanned unit.
        let other_ticket = ticket(&state, w.company_a, "T-9001", "Pump seal worn", None).await;
        sqlx::query("UPDATE tickets SET equipment_id = $1 WHERE id = $2")
            .bind(pump)
            .bind(other_ticket)
            .execute(&state.db)
            .await
            .unwrap();
        let unit_ticket = ticket(&state, w.company_a, "T-9002", "Chiller trips", None).await;
        sqlx::query("UPDATE tickets SET equipment_id = $1 WHERE id = $2")
            .bind(unit)
            .bind(unit_ticket)
            .execute(&state.db)
            .await
            .unwrap();
        let app = router(state.clone());
        let token = token_of(&state, unit).await;

        // Bad input by field; nothing is stored.
        let (status, err) = call_public(&app, None, "register_by_qr", json!({ "token": token, "input": { "name": "", "login": "nobody", "password": "short", "website": "" } })).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
        assert_eq!(
            count(&state, "SELECT COUNT(*) FROM qr_registrations").await,
            0
        );

        // Register; nothing exists until the link is opened.
        let (status, _) = call_public(&app, None, "register_by_qr", json!({ "token": token, "input": { "name": "Nina Guard", "login": "nina@site.example", "password": "a long passphrase", "website": "" } })).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            count(
                &state,
                "SELECT COUNT(*) FROM users WHERE email = 'nina@site.example'"
            )
            .await,
            0
        );
        let body: String =
            sqlx::query_scalar("SELECT body FROM outbox WHERE recipient = 'nina@site.example'")
                .fetch_one(&state.db)
                .await
                .unwrap();
        let secret = body
            .split("token=")
            .nth(1)
            .unwrap()
            .split_whitespace()
            .next()
            .unwrap()
            .to_owned();
        let (status, value) = call_public(
            &app,
            None,
            "confirm_registration",
            json!({ "token": "made-up" }),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{value}");
        let request = Request::post("/api/confirm_registration")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ACCEPT, "application/json")
            .body(Body::from(json!({ "token": secret }).to_string()))
            .unwrap();
        let reply = send(&app, request).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        assert_eq!(reply.body, unit.to_string());
        let nina = reply.session_cookie().expect("signed in");
        // The link works once.
        let (status, _) = call_public(
            &app,
            None,
            "confirm_registration",
            json!({ "token": secret }),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

        // Nina sees the scanned unit and its ticket, and nothing else of the company.
        let all = json!({ "filter": { "search": "", "company_id": null, "class": "", "kind": "", "parent_id": null, "retired": false, "after": null } });
        let list = call_json(&app, &nina, "equipment_list", all.clone()).await;
        assert!(list.body.contains("Chiller 7"), "{}", list.body);
        for hidden in ["Pump 3", "North site", "Plant room"] {
            assert!(
                !list.body.contains(hidden),
                "{hidden} leaked: {}",
                list.body
            );
        }
        for id in [site, room, pump] {
            assert_outsiders_refused(
                &app,
                &[&nina],
                "equipment_passport",
                &[("id", &id.to_string())],
                "Pump",
            )
            .await;
        }
        let own = call(
            &app,
            Some(&nina),
            "equipment_passport",
            &[("id", &unit.to_string())],
        )
        .await;
        assert_eq!(own.status, StatusCode::OK);
        assert!(
            !own.body.contains("Plant room") && !own.body.contains("North site"),
            "{}",
            own.body
        );
        assert_outsiders_refused(
            &app,
            &[&nina],
            "get_ticket",
            &[("id", &other_ticket.to_string())],
            "Pump seal",
        )
        .await;
        let mine = call(
            &app,
            Some(&nina),
            "get_ticket",
            &[("id", &unit_ticket.to_string())],
        )
        .await;
        assert_eq!(mine.status, StatusCode::OK, "{}", mine.body);
        assert_outsiders_refused(
            &app,
            &[&nina],
            "equipment_labels",
            &[("ids", &unit.to_string())],
            "Chiller",
        )
        .await;
        assert_outsiders_refused(
            &app,
            &[&nina],
            "rotate_qr",
            &[("id", &unit.to_string())],
            "",
        )
        .await;
        assert_outsiders_refused(
            &app,
            &[&nina],
            "ticket_extras",
            &[("ticket_id", &other_ticket.to_string()), ("tab", "works")],
            "Pump",
        )
        .await;
        assert_outsiders_refused(
            &app,
            &[&nina],
            "chat_thread",
            &[("ticket_id", &other_ticket.to_string())],
            "Pump",
        )
        .await;
        let files = get(&app, Some(&nina), &format!("/tickets/{other_ticket}")).await;
        assert!(!files.body.contains("Pump seal worn"));

        // Scanning a second label while signed in adds that object.
        let (_, scanned) = call_public(
            &app,
            Some(&nina),
            "public_object",
            json!({ "token": token_of(&state, pump).await }),
        )
        .await;
        assert_eq!(scanned["added"], json!(true));
        assert_eq!(scanned["passport"], json!(pump));
        let list = call_json(&app, &nina, "equipment_list", all).await;
        assert!(list.body.contains("Pump 3"), "{}", list.body);
        let now_mine = call(
            &app,
            Some(&nina),
            "get_ticket",
            &[("id", &other_ticket.to_string())],
        )
        .await;
        assert_eq!(now_mine.status, StatusCode::OK);

        // Registering again with the same address creates nothing and reveals nothing.
        let (status, _) = call_public(&app, None, "register_by_qr", json!({ "token": token, "input": { "name": "Someone", "login": "nina@site.example", "password": "another passphrase", "website": "" } })).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            count(&state, "SELECT COUNT(*) FROM qr_registrations").await,
            1
        );
        let mails = count(
            &state,
            "SELECT COUNT(*) FROM outbox WHERE recipient = 'nina@site.example'",
        )
        .await;
        assert_eq!(
            mails, 2,
            "the owner is told by mail that they already have an account"
        );
        let _ = w.customer_b;
    }
);

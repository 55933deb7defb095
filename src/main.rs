#[cfg(feature = "ssr")]
#[tokio::main]
async fn main() -> std::process::ExitCode {
    atrium::server::run().await
}

#[cfg(not(feature = "ssr"))]
fn main() {
    // The browser build is a library (`hydrate`); there is nothing to run.
}

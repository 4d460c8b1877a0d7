//! An open-loop load generator (issue 19, search at 64 connections): requests arrive at a fixed rate
//! whatever the server's answers do, as people's requests do, and wait for one of `connections` keep-alive
//! connections. A closed loop (each connection sends its next request when the last is answered) slows down
//! with the server, so its latency at 64 connections is 64 ÷ throughput by Little's law whatever the server
//! does; here the latency of each request is counted from the moment it arrived (was dispatched), so the time
//! it queued for a free connection is in it and a slow server cannot hide it (no coordinated omission).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use http_body_util::BodyExt;
use tokio::sync::{Mutex, mpsc};

use crate::{MakeRequest, Stats};

/// Send `rate` requests a second for `dur` over `connections` connections to `addr`. Arrivals are spread
/// evenly; the scheduler wakes at the timer's resolution (1 ms) and dispatches every request due by then,
/// each stamped with the time it was dispatched. Requests still waiting when the time is up are answered
/// and counted (their latency is the queue they met).
pub(crate) async fn drive_at_rate(
    addr: SocketAddr,
    connections: usize,
    rate: f64,
    dur: Duration,
    make: MakeRequest,
) -> anyhow::Result<Stats> {
    anyhow::ensure!(rate > 0.0, "the rate must be positive");
    let (tx, rx) = mpsc::unbounded_channel::<(u64, Instant)>();
    let rx = Arc::new(Mutex::new(rx));
    let mut workers = Vec::with_capacity(connections);
    for _ in 0..connections {
        let (rx, make) = (rx.clone(), make.clone());
        workers.push(tokio::spawn(async move {
            let mut sender = crate::connect(addr).await?;
            let (mut lat, mut errors) = (Vec::with_capacity(1 << 14), 0u64);
            loop {
                let next = rx.lock().await.recv().await;
                let Some((i, arrived)) = next else { break };
                let resp = sender.send_request(make(i)).await?;
                let ok = resp.status().is_success();
                resp.into_body().collect().await?;
                lat.push(arrived.elapsed());
                errors += u64::from(!ok);
            }
            anyhow::Ok((lat, errors))
        }));
    }
    let start = Instant::now();
    let total = (rate * dur.as_secs_f64()) as u64;
    let mut sent = 0u64;
    while sent < total {
        let now = Instant::now();
        let due = ((now - start).as_secs_f64() * rate) as u64 + 1;
        while sent < due.min(total) {
            tx.send((sent, now))?;
            sent += 1;
        }
        tokio::time::sleep(Duration::from_micros(500)).await;
    }
    drop(tx);
    let mut all = Vec::with_capacity(total as usize);
    let mut errors = 0;
    for w in workers {
        let (lat, e) = w.await??;
        all.extend(lat);
        errors += e;
    }
    Ok(Stats::from_latencies(all, errors, start.elapsed().as_secs_f64()))
}

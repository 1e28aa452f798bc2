/// The status page at `/`: one self-contained HTML document (no external scripts, styles or fonts, so it works on
/// an isolated management network), refreshed once a second from `/api/status` and `/api/calls`.
///
/// It shows the node's counters, a chart of calls per second and calls in progress over the last five minutes
/// (drawn on a canvas from the status document's history), the current calls and the latest refusals.
enum StatusPage {
    static let html: [UInt8] = Array(document.utf8)

    private static let document = #"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>Gatehouse</title>
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <style>
          body { font: 14px/1.4 system-ui, sans-serif; margin: 0; background: #f4f5f7; color: #1d2430; }
          header { background: #1d2430; color: #fff; padding: 10px 20px; display: flex; gap: 24px; align-items: baseline; }
          header h1 { font-size: 18px; margin: 0; }
          header .state { padding: 2px 8px; border-radius: 4px; background: #2e7d32; }
          header .state.draining { background: #c62828; }
          main { padding: 16px 20px; display: grid; gap: 16px; }
          .tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 12px; }
          .tile { background: #fff; border-radius: 6px; padding: 10px 12px; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
          .tile .value { font-size: 26px; font-weight: 600; }
          .tile .label { color: #5f6b7a; font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
          section { background: #fff; border-radius: 6px; padding: 12px; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
          section h2 { font-size: 14px; margin: 0 0 8px; }
          canvas { width: 100%; height: 220px; }
          table { width: 100%; border-collapse: collapse; font-size: 13px; }
          th, td { text-align: left; padding: 4px 6px; border-bottom: 1px solid #e6e8eb; }
          th { color: #5f6b7a; font-weight: 600; }
          .legend span { margin-right: 16px; }
          .swatch { display: inline-block; width: 10px; height: 10px; margin-right: 4px; }
          #error { color: #c62828; }
        </style>
        </head>
        <body>
        <header><h1>Gatehouse <span id="node"></span></h1><span id="version"></span>
          <span id="state" class="state">…</span><span id="uptime"></span><span id="error"></span></header>
        <main>
          <div class="tiles">
            <div class="tile"><div class="value" id="active">–</div><div class="label">calls in progress</div></div>
            <div class="tile"><div class="value" id="cps">–</div><div class="label">calls / s (last 10 s)</div></div>
            <div class="tile"><div class="value" id="received">–</div><div class="label">messages received</div></div>
            <div class="tile"><div class="value" id="refused">–</div><div class="label">refused</div></div>
            <div class="tile"><div class="value" id="dropped">–</div><div class="label">dropped</div></div>
            <div class="tile"><div class="value" id="unparseable">–</div><div class="label">unparseable</div></div>
            <div class="tile"><div class="value" id="registrations">–</div><div class="label">registrations</div></div>
            <div class="tile"><div class="value" id="generation">–</div><div class="label">policy generation</div></div>
          </div>
          <section>
            <h2>Calls per second and calls in progress (5 minutes)</h2>
            <div class="legend"><span><i class="swatch" style="background:#1565c0"></i>calls / s</span>
              <span><i class="swatch" style="background:#ef6c00"></i>in progress</span></div>
            <canvas id="chart" width="1200" height="220"></canvas>
          </section>
          <section><h2>Current calls</h2>
            <table><thead><tr><th>#</th><th>state</th><th>caller</th><th>callee</th><th>from</th><th>to</th><th>duration</th></tr></thead>
            <tbody id="calls"></tbody></table></section>
          <section><h2>Recent refusals</h2>
            <table><thead><tr><th>time</th><th>source</th><th>realm</th><th>method</th><th>status</th><th>reason</th><th>detail</th></tr></thead>
            <tbody id="refusals"></tbody></table></section>
        </main>
        <script>
        "use strict";
        const $ = (id) => document.getElementById(id);
        const text = (value) => document.createTextNode(String(value));
        function fillRows(body, rows) {
          body.replaceChildren(...rows.map((cells) => {
            const tr = document.createElement("tr");
            for (const cell of cells) { const td = document.createElement("td"); td.appendChild(text(cell)); tr.appendChild(td); }
            return tr;
          }));
        }
        function drawChart(history) {
          const canvas = $("chart"), ctx = canvas.getContext("2d");
          const w = canvas.width, h = canvas.height, pad = 30;
          ctx.clearRect(0, 0, w, h);
          ctx.strokeStyle = "#c9ced6"; ctx.beginPath(); ctx.moveTo(pad, h - pad); ctx.lineTo(w - 4, h - pad); ctx.stroke();
          if (history.length === 0) return;
          const max = Math.max(1, ...history.map((s) => Math.max(s.calls_started, s.active_calls)));
          ctx.fillStyle = "#5f6b7a"; ctx.font = "12px sans-serif"; ctx.fillText(String(max), 2, pad);
          ctx.fillText("0", 2, h - pad);
          const x = (i) => pad + (w - pad - 4) * (history.length === 1 ? 1 : i / (history.length - 1));
          const y = (v) => h - pad - (h - 2 * pad) * v / max;
          for (const [key, color] of [["calls_started", "#1565c0"], ["active_calls", "#ef6c00"]]) {
            ctx.strokeStyle = color; ctx.lineWidth = 2; ctx.beginPath();
            history.forEach((s, i) => i === 0 ? ctx.moveTo(x(i), y(s[key])) : ctx.lineTo(x(i), y(s[key])));
            ctx.stroke();
          }
        }
        async function refresh() {
          try {
            const [status, calls] = await Promise.all([
              fetch("/api/status").then((r) => r.json()), fetch("/api/calls?limit=50").then((r) => r.json())]);
            $("node").textContent = status.node; $("version").textContent = "v" + status.version;
            $("state").textContent = status.draining ? "draining" : (status.ready ? "ready" : "starting");
            $("state").className = "state" + (status.draining ? " draining" : "");
            $("uptime").textContent = "up " + status.uptime_seconds + " s";
            $("active").textContent = status.calls.active;
            const last = status.history.slice(-10);
            $("cps").textContent = last.length ? (last.reduce((a, s) => a + s.calls_started, 0) / last.length).toFixed(1) : "0";
            $("received").textContent = status.messages.received;
            $("refused").textContent = status.messages.refused;
            $("dropped").textContent = status.messages.dropped;
            $("unparseable").textContent = status.messages.unparseable;
            $("registrations").textContent = status.registrations.relayed + status.registrations.ims;
            $("generation").textContent = status.policy.generation;
            drawChart(status.history);
            fillRows($("calls"), calls.calls.map((c) => [c.id, c.state, c.caller, c.callee,
              c.from_peer + " (" + c.from_realm + ")", c.to_peer + " (" + c.to_realm + ")", c.duration_seconds.toFixed(0) + " s"]));
            fillRows($("refusals"), status.recent_refusals.map((r) => [new Date(r.time * 1000).toLocaleTimeString(),
              r.source, r.realm, r.method, r.status || "dropped", r.reason, r.detail]));
            $("error").textContent = "";
          } catch (e) {
            $("error").textContent = "cannot reach the node: " + e;
          }
        }
        refresh();
        setInterval(refresh, 1000);
        </script>
        </body>
        </html>
        """#
}

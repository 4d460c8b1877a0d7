const esc = s => String(s ?? "").replace(/[&<>"]/g, c => ({"&":"&amp;","<":"&lt;",">":"&gt;",'"':"&quot;"}[c]));
const ref = r => r && r.$ref ? r.$ref.split("/").pop() : null;
function typeOf(s){ if(!s) return ""; if(ref(s)) return ref(s); if(s.type==="array") return typeOf(s.items)+"[]";
  if(s.oneOf) return s.oneOf.map(typeOf).join(" | "); return Array.isArray(s.type)? s.type.join("|") : (s.type||"object"); }
fetch("/api/v1/openapi.json").then(r => r.json()).then(doc => {
  document.getElementById("title").textContent = doc.info.title + " " + doc.info.version;
  document.getElementById("desc").textContent = doc.info.description || "";
  let html = "";
  for (const [path, item] of Object.entries(doc.paths)) for (const [m, op] of Object.entries(item)) {
    html += `<details class="op"><summary><span class="m ${m}">${m}</span> <code>${esc(path)}</code> — ${esc(op.summary||"")}</summary><div class="body">`;
    if (op.description) html += `<p>${esc(op.description)}</p>`;
    if (op.parameters) html += "<table><tr><th>参数</th><th>位置</th><th>类型</th><th>说明</th></tr>" + op.parameters.map(p =>
      `<tr><td>${esc(p.name)}</td><td>${esc(p.in)}</td><td>${esc(typeOf(p.schema))}</td><td>${esc(p.description)}</td></tr>`).join("") + "</table>";
    if (op.requestBody) for (const [ct, c] of Object.entries(op.requestBody.content)) html += `<p>请求体 <code>${esc(ct)}</code>: ${esc(typeOf(c.schema))}</p>`;
    html += "<p>响应：" + Object.entries(op.responses).map(([s, r]) => `<b>${s}</b> ${esc(Object.values(r.content||{}).map(c=>typeOf(c.schema)).join(", ") || r.description)}`).join("；") + "</p></div></details>";
  }
  document.getElementById("ops").innerHTML = html;
  let sh = "";
  for (const [name, s] of Object.entries((doc.components||{}).schemas||{})) {
    sh += `<details class="op"><summary><code>${esc(name)}</code></summary><div class="body">`;
    if (s.properties) sh += "<table><tr><th>字段</th><th>类型</th><th>说明</th></tr>" + Object.entries(s.properties).map(([k, v]) =>
      `<tr><td>${esc(k)}${(s.required||[]).includes(k)?" *":""}</td><td>${esc(typeOf(v))}</td><td>${esc(v.description)}</td></tr>`).join("") + "</table>";
    else sh += `<pre>${esc(JSON.stringify(s, null, 2))}</pre>`;
    sh += "</div></details>";
  }
  document.getElementById("schemas").innerHTML = sh;
}).catch(e => { document.getElementById("ops").textContent = "无法加载 openapi.json：" + e; });

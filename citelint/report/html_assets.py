"""The HTML report's inline stylesheet and script (no remote assets: the page works offline)."""
from __future__ import annotations

import base64
import hashlib

# Colours are dark text on light backgrounds; every pair passes WCAG AA (4.5:1) for body text.
CSS = """
:root{color-scheme:light;--ink:#1b1b1f;--muted:#4a4a55;--line:#c9c9d3;--paper:#fff;--panel:#f5f5f8;
--err:#9b1020;--err-bg:#fde7ea;--warn:#7a4300;--warn-bg:#fff1d6;--info:#0b4a82;--info-bg:#e4effa;
--cue:#5b2590;--quote-bg:#e3f2dc;--ok:#1d5e20;--ok-bg:#e3f4e1;--focus:#1646b8}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--paper)}
header,main,nav,footer,.filters{max-width:72rem;margin:0 auto;padding:0 1.25rem}
header{padding-top:1rem}
h1{font-size:1.6rem;margin:.5rem 0}
h2{font-size:1.3rem;margin:0 0 .5rem;overflow-wrap:anywhere}
h3{font-size:1.05rem;margin:1.25rem 0 .5rem}
a{color:var(--focus)}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.summary{font-weight:600}
.ok{display:inline-block;background:var(--ok-bg);color:var(--ok);font-weight:700;padding:.3rem .7rem;border-radius:.3rem}
.badge{display:inline-block;font-size:.8rem;font-weight:700;padding:0 .4rem;border-radius:.25rem;border:1px solid currentColor;text-transform:uppercase;letter-spacing:.02em}
.sev-error .badge,.badge.sev-error{color:var(--err);background:var(--err-bg)}
.sev-warning .badge,.badge.sev-warning{color:var(--warn);background:var(--warn-bg)}
.sev-info .badge,.badge.sev-info{color:var(--info);background:var(--info-bg)}
.legend span{margin-right:1rem}
table{border-collapse:collapse;width:100%;font-size:.92rem}
th,td{border:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top;overflow-wrap:break-word}
td.nowrap{white-space:nowrap}
td.links a,td.links code,nav th a{overflow-wrap:anywhere}
th{background:var(--panel)}
.num{text-align:right;font-variant-numeric:tabular-nums}
.filters{margin-top:.75rem}
.filters fieldset{display:inline-block;border:1px solid var(--line);border-radius:.3rem;margin:0 .5rem .5rem 0;padding:.25rem .6rem}
.filters label{margin-right:.75rem;white-space:nowrap}
.filters input{width:1.05rem;height:1.05rem;vertical-align:-.15rem}
section.file,section.errors{border-top:2px solid var(--line);padding:1rem 0}
ol.findings{padding-left:1.5rem}
ol.findings li{margin:.2rem 0}
.text{white-space:pre-wrap;overflow-wrap:anywhere;font-family:Georgia,"Times New Roman",serif;font-size:1.05rem;line-height:1.65;
background:var(--panel);border:1px solid var(--line);border-radius:.3rem;padding:1rem}
.src{font-weight:700;text-decoration:underline;text-decoration-thickness:2px;text-underline-offset:3px}
.cue{color:var(--cue);font-style:italic;font-weight:600}
.quote{background:var(--quote-bg)}
mark.flag{background:transparent;color:inherit;border-bottom:3px solid;padding-bottom:1px}
mark.flag.sev-error{border-color:var(--err);background:var(--err-bg)}
mark.flag.sev-warning{border-color:var(--warn);background:var(--warn-bg)}
mark.flag.sev-info{border-color:var(--info);border-bottom-style:dashed}
mark.flag.last::after{content:attr(data-code);font:700 .7rem system-ui,sans-serif;vertical-align:super;margin-left:.1rem}
mark.flag.filtered{border-bottom-color:transparent;background:transparent}
mark.flag.filtered::after{content:none}
.card{white-space:normal;font:.95rem/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--paper);
border:1px solid var(--line);border-left:6px solid;border-radius:.3rem;padding:.4rem .7rem;margin:.3rem 0 .3rem 1.5rem}
.card.sev-error{border-left-color:var(--err)}.card.sev-warning{border-left-color:var(--warn)}.card.sev-info{border-left-color:var(--info)}
.card .where{color:var(--muted);font-size:.85rem}
.card p{margin:.2rem 0}
.doc{white-space:pre-wrap;font-size:.88rem;color:var(--muted);margin:.3rem 0}
code{overflow-wrap:anywhere}
del{background:var(--err-bg);color:var(--err)}ins{background:var(--ok-bg);color:var(--ok)}
.verdict-alive{color:var(--ok)}.verdict-dead{color:var(--err)}.verdict-blocked,.verdict-error{color:var(--warn)}
.verdict-alive,.verdict-dead,.verdict-blocked,.verdict-error{font-weight:700}
ul.quotes{margin:.3rem 0;padding-left:1.1rem}
footer{color:var(--muted);font-size:.85rem;padding:1rem 1.25rem 2rem}
[hidden]{display:none!important}
@media print{
 .filters{display:none!important}
 body{font-size:11pt}
 .text{background:none;border:none;padding:0}
 details>summary{list-style:none}
 details::details-content{content-visibility:visible;display:block}
 a{color:inherit}
 section.file{break-before:page}
}
"""

# Enhancement only: without it every finding is shown and the filter form stays hidden.
SCRIPT = """
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var status = document.getElementById("filter-status");
  if (!form || !status) { return; }
  form.hidden = false;
  function apply() {
    var off = {};
    form.querySelectorAll("input[type=checkbox]").forEach(function (box) {
      if (!box.checked) { off[box.name + ":" + box.value] = true; }
    });
    var shown = 0, total = 0;
    document.querySelectorAll("[data-code][data-severity]").forEach(function (el) {
      var hide = !!(off["severity:" + el.dataset.severity] || off["rule:" + el.dataset.code]);
      if (el.classList.contains("flag")) { el.classList.toggle("filtered", hide); }
      else { el.hidden = hide; }
      if (el.classList.contains("card")) { total += 1; if (!hide) { shown += 1; } }
    });
    status.textContent = shown + " of " + total + " findings shown";
  }
  form.addEventListener("change", apply);
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details").forEach(function (d) { d.open = true; });
  });
  apply();
})();
"""


def script_hash() -> str:
    """The CSP source for SCRIPT: the page allows this one script and nothing else."""
    digest = hashlib.sha256(SCRIPT.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"

// The gate's result as one HTML page: no server, no external resource. The
// data is embedded as JSON and drawn by a short script: the matrix as a
// coloured grid, a click on a cell shows its findings, filters by kernel and
// by state, and a view of the regressions alone. The URL's fragment chooses
// the initial view, so a link (or a headless browser, which cannot click)
// opens the page filtered, or with a cell's findings shown:
//   gate.html#kernels=K1,K2&states=FAIL,known&regressions&cell=OBJECT,KERNEL
// with kernels and objects named as the page names them, URI-encoded.
#include <nlohmann/json.hpp>

#include "abi/report/gate_report.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"

namespace kcontract {
namespace {

using nlohmann::ordered_json;

constexpr std::string_view kStyle = R"(
body{font:14px system-ui,sans-serif;margin:1.5em;color:#222}
h1{font-size:1.3em}table{border-collapse:collapse}
th,td{border:1px solid #ccc;padding:3px 8px;text-align:left;white-space:nowrap}
th{background:#f3f3f3;position:sticky;top:0}
td.cell{cursor:pointer;text-align:center;font-weight:600}
.ok{background:#cdeccd}.fixed{background:#b9e3f5}.FAIL{background:#f4b4b4}
.known{background:#f7dfae}.waived{background:#e2d6f3}.unreadable{background:#ddd}
#details{margin-top:1em;white-space:pre-wrap;font-family:monospace;border:1px solid #ccc;
padding:.6em;min-height:2em}
#filters label{margin-right:1em}.hidden{display:none}
td.name,td[colspan]{white-space:normal;overflow-wrap:anywhere;min-width:12em;max-width:40em}
)";

constexpr std::string_view kScript = R"(
const D=JSON.parse(document.getElementById('gate-data').textContent);
const states=['ok','fixed','FAIL','known','waived','unreadable'];
function el(t,a,txt){const e=document.createElement(t);for(const k in a)e.setAttribute(k,a[k]);
 if(txt!==undefined)e.textContent=txt;return e;}
function build(){
 const f=document.getElementById('filters');
 const kf=el('div');kf.append('Kernels: ');
 D.kernels.forEach((k,i)=>{const l=el('label');const c=el('input',{type:'checkbox','data-k':i});
  c.onchange=draw;l.append(c,' '+k);kf.append(l);});
 const sf=el('div');sf.append('States: ');
 states.forEach(s=>{const l=el('label');const c=el('input',{type:'checkbox','data-s':s});
  c.onchange=draw;l.append(c,' '+s);sf.append(l);});
 const rf=el('div');const rl=el('label');const rc=el('input',{type:'checkbox',id:'regressions'});
 rc.onchange=draw;rl.append(rc,' regressions only');rf.append(rl);
 f.append(kf,sf,rf);applyHash();addEventListener('hashchange',applyHash);
}
function dec(s){try{return decodeURIComponent(s);}catch(e){return s;}}
function applyHash(){
 const h={};location.hash.slice(1).split('&').filter(p=>p).forEach(p=>{const i=p.indexOf('=');
  h[dec(i<0?p:p.slice(0,i))]=i<0?[]:p.slice(i+1).split(',').map(dec);});
 document.querySelectorAll('[data-k]').forEach(c=>{
  c.checked=!h.kernels||h.kernels.includes(D.kernels[+c.dataset.k]);});
 document.querySelectorAll('[data-s]').forEach(c=>{
  c.checked=!h.states||h.states.includes(c.dataset.s);});
 document.getElementById('regressions').checked='regressions' in h;
 draw();
 if(!h.cell||h.cell.length!=2)return;
 const r=D.rows.find(r=>!r.error&&(r.name==h.cell[0]||r.names.includes(h.cell[0])));
 const k=D.kernels.indexOf(h.cell[1]);if(r&&k>=0)show(r,k);
}
function show(r,k){const c=r.cells[k];document.getElementById('details').textContent=
 D.kernel_errors[k]?'kernel '+D.kernels[k]+' cannot be read: '+D.kernel_errors[k]:
 r.name+' on '+D.kernels[k]+': '+c.verdict+(c.waived?' (waived: '+c.waived+')':'')+'\n\n'+
 (c.findings.length?c.findings.join('\n'):'no findings');}
function draw(){
 const ks=[...document.querySelectorAll('[data-k]')].filter(c=>c.checked).map(c=>+c.dataset.k);
 const ss=new Set([...document.querySelectorAll('[data-s]')].filter(c=>c.checked)
  .map(c=>c.dataset.s));
 const ro=document.getElementById('regressions').checked;
 const t=document.getElementById('matrix');t.textContent='';
 const h=el('tr');h.append(el('th',{},'object'));
 if(D.baseline)h.append(el('th',D.baseline_error?{class:'unreadable',title:D.baseline_error}:{},
  'baseline ('+D.baseline+')'+(D.baseline_error?': unreadable':'')));
 ks.forEach(k=>h.append(el('th',D.kernel_errors[k]?{class:'unreadable',title:D.kernel_errors[k]}:{},
  D.kernels[k])));t.append(h);
 D.rows.forEach(r=>{
  if(r.error){if(!ss.has('unreadable')||ro)return;const tr=el('tr');tr.append(el('td',{class:'name'},r.name));
   const td=el('td',{class:'unreadable',colspan:ks.length+(D.baseline?1:0)},'unreadable: '+r.error);
   tr.append(td);t.append(tr);return;}
  const shown=ks.filter(k=>ss.has(r.cells[k].state)&&(!ro||r.cells[k].regression));
  if(!shown.length)return;
  const tr=el('tr');tr.append(el('td',{class:'name',title:r.names.join('\n')},r.name));
  if(D.baseline)tr.append(el('td',{},r.baseline));
  ks.forEach(k=>{const c=r.cells[k];const vis=shown.includes(k);
   const td=el('td',{class:'cell '+(vis?c.state:'')},vis?c.state:'');
   if(vis)td.onclick=()=>show(r,k);
   tr.append(td);});
  t.append(tr);});
}
build();
)";

std::string HtmlEscape(std::string_view text) {
  return absl::StrReplaceAll(absl::string_view(text.data(), text.size()),
                             {{"&", "&amp;"}, {"<", "&lt;"}, {">", "&gt;"}, {"\"", "&quot;"}});
}

}  // namespace

std::string RenderGateHtml(const GateResult& result) {
  ordered_json data;
  data["kernels"] = result.kernels;
  data["baseline"] = result.baseline_kernel;
  data["baseline_error"] = result.baseline_error;
  ordered_json kernel_errors = ordered_json::array();
  for (size_t k = 0; k < result.kernels.size(); ++k) {
    kernel_errors.push_back(std::string(KernelError(result, k)));
  }
  data["kernel_errors"] = std::move(kernel_errors);
  ordered_json rows = ordered_json::array();
  for (const GateRow& row : result.rows) {
    ordered_json r;
    r["name"] = row.name;
    r["names"] = row.names;
    r["error"] = row.error;
    r["baseline"] = !result.baseline_error.empty() ? "unreadable"
                    : !row.baseline                ? "-"
                    : *row.baseline == LoadStage::kNone ? "ok"
                                                        : "fails";
    ordered_json cells = ordered_json::array();
    for (const GateCell& cell : row.cells) {
      ordered_json c;
      c["state"] = std::string(CellStateWord(StateOf(row, cell)));
      c["verdict"] = cell.kernel_unreadable ? std::string("no verdict")
                     : cell.verdict == LoadStage::kNone
                         ? std::string("loads")
                         : absl::StrFormat("fails at %s", LoadStageName(cell.verdict));
      c["regression"] = IsRegression(row, cell);
      std::string waived;
      for (const std::string& label : cell.waived_by) {
        waived += (waived.empty() ? "" : ", ") + label;
      }
      c["waived"] = waived;
      ordered_json findings = ordered_json::array();
      for (const Finding& f : cell.findings) {
        findings.push_back(absl::StrFormat("%s: [%s] %s: %s", SeverityName(f.severity), f.code,
                                           f.subject, f.message));
      }
      c["findings"] = std::move(findings);
      cells.push_back(std::move(c));
    }
    r["cells"] = std::move(cells);
    rows.push_back(std::move(r));
  }
  data["rows"] = std::move(rows);
  // Inside <script>, "</" would end the element: JSON allows "<\/".
  std::string json = absl::StrReplaceAll(
      data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), {{"</", "<\\/"}});
  std::string title = absl::StrFormat("kcontract gate: %d objects x %d kernels",
                                      result.rows.size(), result.kernels.size());
  return absl::StrFormat(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>%s</title>\n"
      "<style>%s</style></head>\n<body>\n<h1>%s</h1>\n<div id=\"filters\"></div>\n"
      "<table id=\"matrix\"></table>\n<div id=\"details\">Click a cell to see its "
      "findings.</div>\n<noscript>This page draws the matrix with JavaScript; the JSON report "
      "holds the same data.</noscript>\n"
      "<script type=\"application/json\" id=\"gate-data\">%s</script>\n<script>%s</script>\n"
      "</body></html>\n",
      HtmlEscape(title), kStyle, HtmlEscape(title), json, kScript);
}

}  // namespace kcontract

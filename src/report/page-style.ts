/** The page's only stylesheet, inline so the page is one self-contained file. WhatsApp's light theme. */
export const PAGE_STYLE = `
:root { --chat: #efeae2; --bubble: #d9fdd3; --ink: #111b21; --muted: #667781; --accent: #008069; --link: #027eb5; }
* { box-sizing: border-box; }
body { margin: 0; font: 14.5px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", sans-serif; color: var(--ink); background: #dadbd3; }
header { background: var(--accent); color: #fff; padding: 14px 24px; }
header h1 { margin: 0; font-size: 18px; font-weight: 600; }
header p { margin: 4px 0 0; opacity: .9; font-size: 13px; }
main { max-width: 1320px; margin: 0 auto; padding: 16px; display: grid; grid-template-columns: repeat(auto-fill, minmax(min(380px, 100%), 1fr)); gap: 0 18px; align-items: start; }
main > .summary, main > .diagnostics, main > .empty, main > .toc { grid-column: 1 / -1; }
main > * { min-width: 0; }
.summary { margin: 0 0 14px; padding: 8px 12px; background: #fff; border-radius: 8px; font-weight: 600; box-shadow: 0 1px 1px #0b141a14; }
.diagnostics { background: #fff; border-left: 4px solid #ea0038; border-radius: 8px; padding: 8px 14px; margin-bottom: 16px; box-shadow: 0 1px 1px #0b141a14; }
.diagnostic { margin: 6px 0; font: 12.5px/1.45 ui-monospace, "DejaVu Sans Mono", Menlo, monospace; overflow-wrap: anywhere; }
.diagnostic .where { font-weight: 700; margin-right: 6px; }
.diagnostic .hint { color: var(--muted); }
.diagnostic.warning { color: #8a5a00; } .diagnostic.error { color: #b00020; }
.spec { border-radius: 10px; margin: 0 0 20px; overflow: hidden; box-shadow: 0 1px 3px #0b141a26; }
.spec > h2 { display: flex; align-items: center; gap: 12px; margin: 0; padding: 8px 14px; font-size: 15px; font-weight: 600; background: #f0f2f5; }
.spec > h2 > span:last-child { min-width: 0; overflow-wrap: anywhere; }
.spec > h2 small { display: block; color: var(--muted); font-weight: normal; font-size: 12.5px; }
.spec > h2 .avatar { flex: none; width: 36px; height: 36px; border-radius: 50%; background: #dfe5e7; color: #54656f; display: grid; place-items: center; font-size: 16px; }
.chat { padding: 14px 18px 4px; background-color: var(--chat);
  background-image: radial-gradient(#0000000a 1.2px, transparent 1.3px), radial-gradient(#0000000a 1.2px, transparent 1.3px);
  background-size: 22px 22px; background-position: 0 0, 11px 11px; }
.bubble-row { display: flex; justify-content: flex-end; margin-bottom: 12px; }
.bubble { position: relative; max-width: 80%; min-width: 160px; background: var(--bubble); border-radius: 8px 0 8px 8px; padding: 6px 8px 5px; box-shadow: 0 1px .5px #0b141a21; }
.bubble::after { content: ""; position: absolute; top: 0; right: -8px; border: 8px solid transparent; border-top-color: var(--bubble); border-left-color: var(--bubble); }
.text { padding: 2px 2px 0; overflow-wrap: anywhere; }
.text code, .params code, .header-text code { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, monospace; font-size: 13px; }
.media { margin: 0 0 4px; border-radius: 6px; overflow: hidden; background: #fff8; }
.media .frame { position: relative; height: 150px; display: grid; place-items: center; color: #fff; background: linear-gradient(135deg, #b6c6cf, #8fa4b0); }
.card-video .frame { background: linear-gradient(135deg, #37474f, #18242b); }
.frame-label { position: absolute; left: 8px; bottom: 6px; font-size: 12px; text-shadow: 0 1px 2px #0008; }
.media-url { padding: 5px 8px; font-size: 12.5px; overflow-wrap: anywhere; }
.media-url .url { color: var(--muted); }
.player { display: flex; align-items: center; gap: 8px; padding: 8px 10px 2px; color: #54656f; min-width: 260px; }
.player .avatar { width: 40px; height: 40px; border-radius: 50%; background: #4fb5a4; color: #fff; display: grid; place-items: center; }
.player .wave { flex: 1; height: 16px; border-radius: 2px; background: repeating-linear-gradient(90deg, #8696a0 0 2px, transparent 2px 5px) left center / 100% 40% no-repeat, repeating-linear-gradient(90deg, transparent 0 5px, #8696a0 5px 7px, transparent 7px 15px) left center / 100% 100% no-repeat; }
.card-location .map { height: 120px; display: grid; place-items: center; background-color: #e8f0d8;
  background-image: linear-gradient(90deg, #fff 0 6px, transparent 6px), linear-gradient(#fff 0 6px, transparent 6px), linear-gradient(120deg, transparent 48%, #f7d88c 48% 52%, transparent 52%);
  background-size: 70px 100%, 100% 46px, 100% 100%; background-position: 30px 0, 0 20px, 0 0; }
.card-location .place { padding: 6px 8px; background: #fff8; }
.coords { color: var(--muted); font-size: 12.5px; }
.template-name { font-size: 12px; color: var(--muted); margin: 0 2px 4px; }
.header-text { font-weight: 700; padding: 2px 2px 0; }
.label { font-size: 12px; color: var(--muted); margin: 4px 2px 0; }
.params { margin: 2px 0; padding-left: 24px; }
.meta { font-size: 12px; color: var(--muted); margin: 4px 2px 0; display: flex; gap: 4px; align-items: center; flex-wrap: wrap; }
.meta .icon { vertical-align: -2px; }
.footer { display: flex; justify-content: flex-end; align-items: center; gap: 6px; font-size: 11.5px; color: var(--muted); margin-top: 2px; }
.ticks { color: #53bdeb; display: inline-flex; }
.buttons { margin: 6px -8px -5px; }
.button { display: flex; justify-content: center; align-items: center; gap: 6px; color: var(--link); padding: 8px 10px; border-top: 1px solid #0000001a; overflow-wrap: anywhere; font-weight: 500; }
.button .icon { flex: none; }
.button-detail { display: block; font-size: 11.5px; font-weight: normal; color: var(--muted); text-align: center; }
.template-footer { font-size: 13px; color: var(--muted); padding: 2px 2px 0; }
.recipients { font-size: 12px; color: var(--muted); text-align: right; margin: -6px 4px 14px; }
.empty { color: var(--muted); padding: 16px; text-align: center; }
a { color: var(--link); }
/* The states of a message: a colour, an icon and a word each (page-states.ts). */
.state-send { --state: #1f7a3a; } .state-retry { --state: #0b63b6; } .state-unchanged { --state: #54656f; }
.state-drift { --state: #b34700; } .state-rejected { --state: #c62828; } .state-in-doubt { --state: #7b1fa2; }
.state-suppressed { --state: #6d4c41; } .state-capped { --state: #00796b; } .state-quiet-hours { --state: #3949ab; } .state-limit { --state: #ad1457; } .state-orphan { --state: #667781; }
.badge { display: inline-flex; align-items: center; gap: 4px; padding: 1px 8px 1px 6px; border-radius: 10px; background: var(--state); color: #fff; font-size: 12px; font-weight: 600; line-height: 18px; white-space: nowrap; }
.badge .n { font-weight: 400; }
.bubble > .badge { margin: 0 0 5px; }
.bubble.held { background: #fff; outline: 2px dashed var(--state); outline-offset: -2px; opacity: .92; }
.bubble.held::after { border-top-color: #fff; border-left-color: #fff; }
.recipients[class*="state-"] { color: var(--state); font-weight: 500; }
.pending { color: var(--muted); display: inline-flex; } .failed { color: #c62828; display: inline-flex; }
.diff { margin: -4px 0 10px auto; max-width: 92%; background: #fff; border-left: 4px solid #b34700; border-radius: 6px; padding: 6px 10px; font-size: 13px; box-shadow: 0 1px .5px #0b141a21; }
.diff-title { font-weight: 600; color: #b34700; margin-bottom: 2px; }
.diff-field { margin: 4px 0; }
.diff-label { font: 12px ui-monospace, "DejaVu Sans Mono", Menlo, monospace; color: var(--muted); }
.diff-before, .diff-after { display: flex; gap: 6px; white-space: pre-wrap; overflow-wrap: anywhere; }
.diff-before { background: #fdecea; } .diff-after { background: #e7f6ea; }
.diff .sign { flex: none; width: 1em; text-align: center; font-weight: 700; }
.diff del { background: #f7c1bd; text-decoration: line-through; } .diff ins { background: #a8e2b3; text-decoration: none; font-weight: 600; }
.diff-note { color: var(--muted); font-size: 12px; font-style: italic; margin: 4px 0 10px; text-align: right; }
.diff .diff-note { text-align: left; margin: 4px 0 0; }
.toc { background: #fff; border-radius: 8px; padding: 8px 14px; margin: 0 0 16px; box-shadow: 0 1px 1px #0b141a14; }
.toc h2 { margin: 0 0 4px; font-size: 14px; }
.toc ol { margin: 0; padding-left: 22px; columns: 2 320px; }
.toc li { margin: 3px 0; break-inside: avoid; overflow-wrap: anywhere; }
.toc .badge { font-size: 11px; margin: 1px 0; }
@media (max-width: 480px) {
  header { padding: 10px 14px; } main { padding: 8px; }
  .chat { padding: 10px 10px 2px; } .bubble { max-width: 92%; min-width: 0; }
  .player { min-width: 0; } .media .frame { height: 120px; }
}
.invisible { color: #b00020; background: #fde7ea; border-radius: 3px; font: 12px ui-monospace, monospace; }
`;

/** The page's only stylesheet, inline so the page is one self-contained file. */
export const PAGE_STYLE = `
:root { --chat: #efeae2; --bubble: #d9fdd3; --ink: #111b21; --muted: #667781; --accent: #008069; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #d1d7db; }
header { background: var(--accent); color: #fff; padding: 14px 24px; }
header h1 { margin: 0; font-size: 18px; }
header p { margin: 4px 0 0; opacity: .9; }
main { max-width: 880px; margin: 0 auto; padding: 16px; }
.diagnostics { background: #fff3f3; border: 1px solid #f3b8b8; border-radius: 8px; padding: 8px 16px; margin-bottom: 16px; }
.diagnostic { margin: 6px 0; font-family: ui-monospace, Menlo, monospace; font-size: 13px; }
.diagnostic.warning { color: #8a5a00; } .diagnostic.error { color: #b00020; }
.spec { background: var(--chat); border-radius: 10px; margin: 0 0 20px; overflow: hidden; box-shadow: 0 1px 2px #0002; }
.spec > h2 { margin: 0; padding: 10px 16px; font-size: 15px; background: #f0f2f5; border-bottom: 1px solid #d1d7db; }
.spec > h2 small { color: var(--muted); font-weight: normal; }
.chat { padding: 12px 16px 4px; }
.bubble-row { display: flex; justify-content: flex-end; margin-bottom: 14px; }
.bubble { position: relative; max-width: 78%; background: var(--bubble); border-radius: 8px 0 8px 8px; padding: 8px 10px 6px; box-shadow: 0 1px .5px #0b141a21; }
.bubble::after { content: ""; position: absolute; top: 0; right: -8px; border: 8px solid transparent; border-top-color: var(--bubble); border-left-color: var(--bubble); }
.text { white-space: normal; word-wrap: break-word; }
.text code, .params code { font-family: ui-monospace, Menlo, monospace; background: #0000000d; padding: 0 2px; }
.card { display: flex; gap: 10px; align-items: flex-start; background: #ffffff99; border-radius: 6px; padding: 8px; margin: 4px 0; word-break: break-all; }
.card .icon { font-size: 22px; }
.template-name { font-size: 12px; color: var(--muted); margin-bottom: 4px; }
.label { font-size: 12px; color: var(--muted); margin-top: 4px; }
.params { margin: 2px 0; padding-left: 22px; }
.buttons { margin-top: 6px; border-top: 1px solid #0000001a; }
.button { text-align: center; color: #027eb5; padding: 6px 0; border-bottom: 1px solid #0000000f; word-break: break-all; }
.meta { font-size: 12px; color: var(--muted); margin-top: 4px; }
.footer { display: flex; justify-content: space-between; gap: 12px; font-size: 12px; color: var(--muted); margin-top: 4px; }
.ticks { color: #53bdeb; }
.recipients { font-size: 12px; color: var(--muted); text-align: right; margin: -8px 0 14px; }
.empty { color: var(--muted); padding: 16px; }
a { color: #027eb5; }
`;

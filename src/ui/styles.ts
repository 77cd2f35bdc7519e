/** The default look: readable, responsive, high-contrast focus rings; colours come from the theme's CSS variables. */
export const baseCss = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--gh-bg);color:var(--gh-text)}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:var(--gh-surface);padding:8px;z-index:1}
header.top{display:flex;justify-content:space-between;align-items:center;max-width:40rem;margin:0 auto;padding:16px}
.brand{font-weight:700;font-size:1.15rem;color:var(--gh-text);text-decoration:none;display:flex;gap:8px;align-items:center}
.brand img{height:32px}
main{max-width:40rem;margin:0 auto;padding:0 16px 48px}
.card{background:var(--gh-surface);border-radius:var(--gh-radius);padding:24px;box-shadow:0 1px 3px rgba(0,0,0,.08),0 8px 24px rgba(0,0,0,.04);margin-bottom:16px}
h1{font-size:1.5rem;margin:0 0 16px}h2{font-size:1.15rem;margin:0 0 12px}
label{display:block;font-weight:600;margin:12px 0 4px}
input[type=email],input[type=password],input[type=text]{width:100%;padding:10px 12px;font:inherit;border:1px solid #b8c0cc;border-radius:calc(var(--gh-radius) - 4px);background:#fff;color:inherit}
input[type=tel],input[type=date],select{width:100%;padding:10px 12px;font:inherit;border:1px solid #b8c0cc;border-radius:calc(var(--gh-radius) - 4px);background:#fff;color:inherit}
fieldset{border:0;padding:0;margin:12px 0 0}legend{font-weight:600;padding:0}label.choice{display:inline-flex;gap:6px;font-weight:400;margin-right:16px}
input[aria-invalid=true]{border-color:var(--gh-danger)}
:focus-visible{outline:3px solid var(--gh-primary);outline-offset:2px}
.hint{color:var(--gh-muted);font-size:.9rem;margin:4px 0 0}
.field-error{color:var(--gh-danger);font-size:.9rem;margin:4px 0 0}
button,.button{display:inline-block;margin-top:16px;padding:10px 18px;font:inherit;font-weight:600;border:0;border-radius:calc(var(--gh-radius) - 4px);background:var(--gh-primary);color:var(--gh-primary-text);cursor:pointer;text-decoration:none}
button.secondary{background:transparent;color:var(--gh-primary);border:1px solid var(--gh-primary)}
button.danger{background:var(--gh-danger)}
.notice{padding:12px 16px;border-radius:calc(var(--gh-radius) - 4px);margin-bottom:16px;background:#e8f1fd}
.notice.success{background:#e6f4ea;color:var(--gh-success)}
.notice.error{background:#fdecea;color:var(--gh-danger)}
.links{margin-top:16px;color:var(--gh-muted)}
a{color:var(--gh-primary)}
table{width:100%;border-collapse:collapse}th,td{text-align:left;padding:8px 4px;border-bottom:1px solid #e3e7ee;vertical-align:top}
form.inline{display:inline}form.inline button{margin-top:0}
meter{width:100%;height:8px}
.message-text{white-space:pre-wrap;word-break:break-word}
.lang{display:flex;gap:8px}.lang button{margin:0;padding:4px 8px;background:transparent;color:var(--gh-primary);border:1px solid transparent}
.lang button[aria-current=true]{border-color:var(--gh-primary)}
@media (max-width:480px){.card{padding:16px}}
`;

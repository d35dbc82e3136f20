// The floor page (see src/main.rs): 17 rows made once and filled with the shell's first answer,
// then each keystroke asks the shell for the first matching rows and writes their texts in
// place, by position.
const ROWS = 17;
const list = document.querySelector('[data-testid="credential-list"]');
const panel = document.getElementById('credentials-panel');
const input = document.getElementById('search');

function span(parent, cls, tag = 'span') {
  const el = document.createElement(tag);
  el.className = cls;
  parent.appendChild(el);
  return el;
}

const rows = Array.from({ length: ROWS }, () => {
  const row = span(list, 'row', 'a');
  const what = span(row, 'what');
  const line1 = span(what, 'line1');
  const client = span(line1, 'client', 'strong');
  const title = span(line1, 'title');
  const detail = span(what, 'line2 detail');
  const when = span(row, 'when');
  const expires = span(when, 'line1');
  const phrase = span(when, 'line2');
  const state = span(row, 'state');
  return { row, client, title, detail, expires, phrase, state };
});

function show(found) {
  rows.forEach((r, i) => {
    const f = found[i];
    r.row.hidden = !f;
    if (!f) return;
    r.client.textContent = f.client;
    r.title.textContent = f.title;
    r.detail.textContent = f.detail;
    r.expires.textContent = f.expires;
    r.phrase.textContent = f.phrase;
    r.state.textContent = f.state;
  });
}

let asked = 0;
async function search(text) {
  const mine = ++asked;
  const [, found] = await window.__TAURI_INTERNALS__.invoke('search', { search: text, limit: 48 });
  if (mine !== asked) return;
  show(found);
  panel.dataset.search = text;
}

input.addEventListener('input', () => void search(input.value));
void search('');

// The CSV file input of the broadcast form. The file is read in the browser (FileReader, as
// text) and sent as the request's `csv`; the server parses it. Here it is only previewed: the
// first rows in a small table and how many rows there are, with the columns explained for the
// chosen template (phone, name, then one per variable in the template's order).

import { h, mount, uid } from '../dom.js';
import { controlField } from '../components/form.js';
import { plural } from '../format.js';

const PREVIEW_ROWS = 5;
const MAX_BYTES = 30 * 1024 * 1024; // the request limit is 32 MiB

// RFC 4180 rows: quoted fields may hold commas, doubled quotes and line breaks. Calls
// onRow(fields) for every non-blank row; returns how many there were.
export function readCsvRows(text, onRow) {
  let count = 0;
  let row = [];
  let value = '';
  let quoted = false;
  const endRow = () => {
    row.push(value);
    if (row.length > 1 || row[0].trim() !== '') { onRow(row); count += 1; }
    row = [];
    value = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { value += '"'; i += 1; } else if (c === '"') quoted = false; else value += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(value); value = ''; } else if (c === '\n') endRow();
    else if (c !== '\r') value += c;
  }
  if (value !== '' || row.length) endRow();
  return count;
}

function readText(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsText(file);
  });
}

// "phone, name, var1 ({{1}}), var2 ({{2}})" for the template's variables.
function columnNames(variables) {
  return ['phone', 'name', ...variables.map((v, i) => `var${i + 1} ({{${v}}})`)].join(', ');
}

function previewTable(rows, total, hasHeader) {
  const width = Math.max(...rows.map((r) => r.length));
  const head = hasHeader ? rows[0] : ['phone', 'name', ...Array.from({ length: width - 2 }, (_, i) => `var${i + 1}`)];
  const body = (hasHeader ? rows.slice(1) : rows).slice(0, PREVIEW_ROWS);
  const count = total - (hasHeader ? 1 : 0);
  return [
    h('p', { class: 'field-hint csv-count' }, `${plural(count, 'row')}${count > body.length ? `; the first ${body.length}:` : ':'}`),
    h('div', { class: 'table-wrap csv-preview' }, h('table', { class: 'table table-compact', 'aria-label': 'First rows of the file' },
      h('thead', {}, h('tr', {}, head.slice(0, width).map((name) => h('th', { scope: 'col' }, name)))),
      h('tbody', {}, body.map((r) => h('tr', {}, Array.from({ length: width }, (_, i) => h('td', {}, r[i] ?? ''))))))),
  ];
}

export function csvField() {
  const input = h('input', { class: 'input input-file', type: 'file', id: uid('f-csv'), name: 'csv', accept: '.csv,text/csv,text/plain' });
  const columns = h('span', {}, columnNames([]));
  const preview = h('div', { class: 'csv-preview-slot', 'aria-live': 'polite' });
  const f = controlField({ label: 'CSV file', control: input, extra: preview,
    hint: ['One recipient per line. Columns: ', columns, '. Rows with only a phone and a name get the shared values ',
      'below. A first line starting with "phone" is a header.'] });
  let text = null;

  input.addEventListener('change', async () => {
    text = null;
    mount(preview);
    const file = input.files && input.files[0];
    if (!file) return;
    if (file.size > MAX_BYTES) return f.setError('The file is larger than 30 MB. Split it into several broadcasts.');
    try {
      const read = await readText(file);
      const rows = [];
      const total = readCsvRows(read, (row) => { if (rows.length <= PREVIEW_ROWS) rows.push(row); });
      const hasHeader = total > 0 && rows[0][0].trim().toLowerCase() === 'phone';
      if (total === (hasHeader ? 1 : 0)) return f.setError('The file has no recipients.');
      text = read;
      mount(preview, previewTable(rows, total, hasHeader));
    } catch {
      f.setError('Could not read the file. Choose a CSV file saved as text.');
    }
    return null;
  });

  return {
    ...f,
    // The file's text once read, else null.
    text: () => text,
    setTemplate(template) { columns.textContent = columnNames(template ? template.variables || [] : []); },
  };
}

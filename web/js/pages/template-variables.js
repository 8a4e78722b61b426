// Template text helpers shared by the template form and its preview. Variables are read like
// the server reads them: from "{{" to "}}", digits are positional and must be exactly 1..N
// (repeats allowed, no gaps), anything else is a lower-case name ({{first_name}}); the two
// kinds never mix. templateParts() reads a stored template's header, body, footer, examples
// and buttons back out of Meta's components, for editing.

const NAMED = /^[a-z_][a-z0-9_]{0,62}$/;

// 'Hi {{1}}, order {{2}}' -> { kind: 'positional', names: ['1', '2'], problem: null }.
// problem: what is wrong with the variables, as a sentence for the body field, or null.
export function scanVariables(text) {
  const names = [];
  let kind = null;
  for (let at = text.indexOf('{{'); at !== -1; at = text.indexOf('{{', at)) {
    const end = text.indexOf('}}', at + 2);
    if (end === -1) return { kind, names, problem: 'Close every {{ with }}.' };
    const token = text.slice(at + 2, end);
    at = end + 2;
    const positional = /^\d+$/.test(token);
    if (!positional && !NAMED.test(token)) {
      return { kind, names, problem: `{{${token}}} is not a valid variable: use {{1}}, {{2}}… or a lower-case name such as {{first_name}}.` };
    }
    const tokenKind = positional ? 'positional' : 'named';
    if (kind && kind !== tokenKind) {
      return { kind, names, problem: 'Use numbered variables ({{1}}, {{2}}) or named ones ({{first_name}}), not both.' };
    }
    kind = tokenKind;
    if (!names.includes(token)) names.push(token);
  }
  if (kind !== 'positional') return { kind, names, problem: null };
  names.sort((a, b) => Number(a) - Number(b));
  const gap = names.some((name, i) => Number(name) !== i + 1);
  return { kind, names, problem: gap ? `Number the variables {{1}} to {{${names.length}}} without gaps.` : null };
}

// The text cut into plain parts and variables: [{ text }, { variable: '1', value: 'Asha' }, …].
// value is the example given for the variable, or '' when there is none yet.
export function fillVariables(text, examples = {}) {
  const parts = [];
  let from = 0;
  for (let at = text.indexOf('{{'); at !== -1; at = text.indexOf('{{', from)) {
    const end = text.indexOf('}}', at + 2);
    if (end === -1) break;
    if (at > from) parts.push({ text: text.slice(from, at) });
    const variable = text.slice(at + 2, end);
    parts.push({ variable, value: (examples[variable] || '').trim() });
    from = end + 2;
  }
  if (from < text.length) parts.push({ text: text.slice(from) });
  return parts;
}

// The examples of a BODY component by variable name: { '1': 'Asha' } or { first_name: 'Asha' }.
function bodyExamples(component) {
  const example = component.example || {};
  if (Array.isArray(example.body_text_named_params)) {
    return Object.fromEntries(example.body_text_named_params
      .filter((p) => p && typeof p.param_name === 'string')
      .map((p) => [p.param_name, String(p.example ?? '')]));
  }
  const row = Array.isArray(example.body_text) ? example.body_text[0] : null;
  return Array.isArray(row) ? Object.fromEntries(row.map((value, i) => [String(i + 1), String(value)])) : {};
}

// t: a template from the API. mediaHeader: 'image', 'video' or 'document' when the header is
// media (the form edits text headers only); buttons: Meta's buttons array, or null.
export function templateParts(t) {
  const parts = { headerText: '', mediaHeader: null, content: t.content || '', footerText: '', examples: {}, buttons: null };
  for (const component of Array.isArray(t.components) ? t.components : []) {
    const type = String(component.type || '').toUpperCase();
    if (type === 'HEADER') {
      const format = String(component.format || '').toUpperCase();
      if (format === 'TEXT') parts.headerText = component.text || '';
      else parts.mediaHeader = format.toLowerCase();
    } else if (type === 'BODY') {
      parts.content = component.text || parts.content;
      parts.examples = bodyExamples(component);
    } else if (type === 'FOOTER') {
      parts.footerText = component.text || '';
    } else if (type === 'BUTTONS' && Array.isArray(component.buttons)) {
      parts.buttons = component.buttons;
    }
  }
  return parts;
}

// Characters as WhatsApp counts them (code points, so an emoji is one).
export function charCount(text) {
  return [...text].length;
}

// The "New template" / "Edit <name>" dialog: the fields beside a live WhatsApp preview. "Save
// draft" stores the template (POST /api/templates, PUT for an edit); "Submit to Meta" also
// sends it for review (a new one with "submit": true; an edit is saved, then submitted). The
// checks the server would make run first, with the message on the field at fault; the server's
// errors land on the field it names. When Meta refuses a submission the template is kept as a
// draft: the dialog says so and goes on editing that draft. Resolves with { message } once
// something was saved (message: the server's, for a toast; null when only a draft was kept).

import { h } from '../dom.js';
import { api } from '../api.js';
import { clearErrors, formAlert, setBusy } from '../components/form.js';
import { openModal } from '../components/modal.js';
import { BODY_MAX, SHORT_MAX, templateFields } from './template-fields.js';
import { templatePreview } from './template-preview.js';
import { charCount, scanVariables, templateParts } from './template-variables.js';

const URL = '/api/templates';
const NAME_PATTERN = /^[a-z0-9_]{1,512}$/;
const LABELS = { name: 'Name', language: 'Language', category: 'Category', headerText: 'Header', content: 'Body',
  footerText: 'Footer', examples: 'Examples' };

function shortProblem(text, label) {
  if (charCount(text) > SHORT_MAX) return `Keep the ${label} to ${SHORT_MAX} characters.`;
  return text.includes('{{') ? `The ${label} cannot hold variables: put them in the body.` : null;
}

// [[field key, message]] for everything the server would refuse; example keys are "example:<name>".
function problems(v) {
  const out = [];
  if (!v.name) out.push(['name', 'Enter a name, e.g. order_ready.']);
  else if (!NAME_PATTERN.test(v.name)) out.push(['name', 'Use only lower-case letters, numbers and underscores (no spaces or capitals), e.g. order_ready.']);
  if (shortProblem(v.headerText, 'header')) out.push(['headerText', shortProblem(v.headerText, 'header')]);
  const body = v.content.trim();
  if (!body) out.push(['content', 'Write the message body.']);
  else if (charCount(body) > BODY_MAX) out.push(['content', `The body has ${charCount(body)} characters; the limit is ${BODY_MAX}.`]);
  else if (v.vars.problem) out.push(['content', v.vars.problem]);
  if (shortProblem(v.footerText, 'footer')) out.push(['footerText', shortProblem(v.footerText, 'footer')]);
  for (const name of v.vars.names) if (!v.examples[name]) out.push([`example:${name}`, `Enter an example for {{${name}}}.`]);
  return out;
}

function requestBody(v, buttons) {
  const body = { name: v.name, language: v.language, category: v.category, content: v.content.trim() };
  if (v.headerText) body.headerText = v.headerText;
  if (v.footerText) body.footerText = v.footerText;
  const { kind, names } = v.vars;
  if (names.length) {
    body.examples = kind === 'named' ? Object.fromEntries(names.map((n) => [n, v.examples[n]])) : names.map((n) => v.examples[n]);
  }
  if (buttons) body.buttons = buttons; // kept from Meta's components: the form does not edit them
  return body;
}

// "content: must be 1 to 1024 characters" -> [content, "Body must be 1 to 1024 characters"].
function serverProblem(err) {
  if (err.code === 'TEMPLATE_EXISTS') return ['name', 'A template with this name and language already exists.'];
  if (!LABELS[err.field]) return [null, err.message];
  const prefix = `${err.field}: `;
  return [err.field, err.message.startsWith(prefix) ? `${LABELS[err.field]} ${err.message.slice(prefix.length)}` : err.message];
}

// template: null for a new one, else a draft or rejected template from the API.
export function openTemplateForm(template = null) {
  return new Promise((resolve) => {
    let editing = template; // becomes the kept draft when Meta refuses a new template
    let saved = null; // { message } once anything was stored
    const parts = template ? templateParts(template) : {};
    const { el: fieldsEl, fields, examples } = templateFields({ ...template, ...parts });
    const preview = templatePreview();
    const alert = formAlert();
    const save = h('button', { class: 'btn btn-secondary', type: 'submit' }, 'Save draft');
    const submit = h('button', { class: 'btn btn-primary', type: 'submit' }, 'Submit to Meta');
    const cancel = h('button', { class: 'btn btn-secondary', type: 'button' }, 'Cancel');
    const media = parts.mediaHeader ? h('p', { class: 'alert alert-warning', role: 'note' }, `This template has a media header `
      + `(${parts.mediaHeader}), which this form cannot edit. Saving replaces it with the header text below, or no header.`) : null;
    const form = h('form', { class: 'form', novalidate: true, 'aria-label': template ? 'Edit template' : 'New template' },
      alert.el, media, h('div', { class: 'template-editor' }, fieldsEl, preview.el),
      h('div', { class: 'form-actions' }, cancel, save, submit));

    const values = () => {
      const v = Object.fromEntries(Object.entries(fields).map(([key, f]) => [key, key === 'content' ? f.input.value : f.input.value.trim()]));
      v.vars = scanVariables(v.content);
      examples.sync(v.vars.names);
      v.examples = examples.values();
      return v;
    };
    const refresh = () => {
      const v = values();
      preview.update({ ...v, buttons: parts.buttons });
    };
    form.addEventListener('input', refresh);
    form.addEventListener('change', refresh);
    refresh();

    const modal = openModal({ title: template ? `Edit ${template.name}` : 'New template', body: form, size: 'xl',
      description: 'Meta reviews every template before it can be sent to customers.',
      initialFocus: fields.name.input, onClose: (result) => resolve(result || saved) });
    cancel.addEventListener('click', () => modal.close(null));
    const showAlert = (message, kind) => {
      alert.show(message, kind);
      alert.el.scrollIntoView({ block: 'nearest' });
    };

    const target = (key) => (key.startsWith('example:') ? examples.get(key.slice(8)) : fields[key]);
    const showProblems = (list) => {
      for (const [key, message] of list) target(key).setError(message);
      target(list[0][0]).input.focus();
    };
    // A new template Meta refused was stored as a draft: edit that draft from now on.
    const adoptDraft = async (body) => {
      const res = await api.get(URL, { status: 'draft', limit: 500 });
      editing = res.data.templates.find((t) => t.name === body.name && t.language === body.language) || null;
      if (editing) saved = saved || { message: null };
    };
    const store = async (body, toMeta) => {
      if (!editing) {
        try {
          return await api.post(URL, toMeta ? { ...body, submit: true } : body);
        } catch (err) {
          if (toMeta && err.status === 502) await adoptDraft(body).catch(() => {});
          if (editing) err.keptDraft = true;
          throw err;
        }
      }
      const id = encodeURIComponent(editing.id);
      const res = await api.put(`${URL}/${id}`, body);
      saved = { message: res.message };
      if (!toMeta) return res;
      try {
        return await api.post(`${URL}/${id}/submit`);
      } catch (err) {
        err.keptDraft = true;
        throw err;
      }
    };

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const toMeta = event.submitter === submit;
      clearErrors(fields);
      examples.clearErrors();
      alert.hide();
      const v = values();
      const found = problems(v);
      if (found.length) return showProblems(found);
      const button = toMeta ? submit : save;
      setBusy(button, true, toMeta ? 'Submitting…' : 'Saving…');
      (toMeta ? save : submit).disabled = true;
      try {
        const res = await store(requestBody(v, parts.buttons), toMeta);
        modal.close({ message: res.message });
      } catch (err) {
        if (err.handled) return modal.close(null);
        if (err.keptDraft) return showAlert(`Saved as a draft, but Meta did not accept it: ${err.message}`, 'warning');
        const [key, message] = serverProblem(err);
        if (key === 'examples' && v.vars.names.length) showProblems([[`example:${v.vars.names[0]}`, message]]);
        else if (key && key !== 'examples') showProblems([[key, message]]);
        else showAlert(message, 'error');
      } finally {
        if (button.isConnected) {
          setBusy(button, false);
          (toMeta ? save : submit).disabled = false;
        }
      }
    });
  });
}

// The broadcast form's request: the checks made before sending (schedule and throttle), the
// body of POST /api/broadcasts, and where a refusal from the server belongs: on the field it
// names (`field`), on the recipients of the selected tab (NO_RECIPIENTS; a CSV row with the
// wrong number of values), on the template picker (TEMPLATE_NOT_FOUND), else above the form.

const THROTTLE_MAX = 1000;

const LABELS = {
  name: 'Name', templateName: 'Template', variables: 'Variables', scheduleAt: 'Start time',
  throttleMps: 'Messages per second', tags: 'Tags', phones: 'Phone numbers', csv: 'CSV file',
};

// "2026-11-24T15:30" in the browser's time zone -> ISO UTC, or null when empty.
export function scheduleIso(local) {
  if (!local) return null;
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

// [key, message] for the schedule and throttle inputs, or null.
export function optionProblem({ schedule, throttle }) {
  const at = scheduleIso(schedule);
  if (at === undefined) return ['schedule', 'Enter a date and time, or leave it empty to start now.'];
  if (at && Date.parse(at) <= Date.now()) return ['schedule', 'Choose a time in the future, or leave it empty to start now.'];
  if (throttle !== '' && !(/^\d+$/.test(throttle) && Number(throttle) >= 1 && Number(throttle) <= THROTTLE_MAX)) {
    return ['throttle', `Enter a whole number from 1 to ${THROTTLE_MAX}, or leave it empty.`];
  }
  return null;
}

// v: { name, template, variables: [values], audience: {tags}|{phones}|{csv}, schedule, throttle }.
export function requestBody(v) {
  const body = { templateName: v.template.name, language: v.template.language, ...v.audience };
  if (v.name) body.name = v.name;
  if (v.variables.length && v.variables.some((value) => value !== '')) body.variables = v.variables;
  const at = scheduleIso(v.schedule);
  if (at) body.scheduleAt = at;
  if (v.throttle !== '') body.throttleMps = Number(v.throttle);
  return body;
}

// "throttleMps: must be between 1 and 1000" -> "Messages per second must be between 1 and 1000".
function fieldMessage(err) {
  const prefix = `${err.field}: `;
  return LABELS[err.field] && err.message.startsWith(prefix) ? `${LABELS[err.field]} ${err.message.slice(prefix.length)}` : err.message;
}

// Where the form shows a refusal: [target key or null, message]. Keys: name, template,
// variable (the first shared value), schedule, throttle, tags, phones, csv.
export function serverProblem(err, source) {
  const byField = { name: 'name', templateName: 'template', language: 'template', templateId: 'template',
    variables: 'variable', scheduleAt: 'schedule', throttleMps: 'throttle', tags: 'tags', phones: 'phones', csv: 'csv',
    recipients: source, contactIds: source };
  if (err.field && byField[err.field]) return [byField[err.field], fieldMessage(err)];
  if (err.code === 'TEMPLATE_NOT_FOUND') return ['template', err.message];
  if (err.code === 'NO_RECIPIENTS') return [source, err.message];
  if (err.code === 'TEMPLATE_PARAMS_MISMATCH') return [source === 'csv' ? 'csv' : 'variable', err.message];
  return [null, err.message];
}

// Tiny DOM builder: h('div', {class: 'card'}, 'text', child). Text is always set as text
// nodes, never parsed as HTML, so values from the API can be passed straight in.
// `on*` keys add listeners; `class` accepts a string or an array (falsy entries dropped).

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    setAttr(el, key, value);
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

function setAttr(el, key, value) {
  if (value === null || value === undefined || value === false) return;
  if (key.startsWith('on') && typeof value === 'function') {
    el.addEventListener(key.slice(2).toLowerCase(), value);
  } else if (key === 'class') {
    el.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : value;
  } else if (key === 'text') {
    el.textContent = value;
  } else if (key === 'value') {
    el.value = value;
  } else if (key === 'dataset') {
    Object.assign(el.dataset, value);
  } else {
    el.setAttribute(key, value === true ? '' : String(value));
  }
}

// Replaces all children of el.
export function mount(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

let idCounter = 0;
// Unique element id for label/input and aria-describedby pairs.
export function uid(prefix = 'id') {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

// Builds DOM nodes from data without innerHTML, so API values are always inserted as text.

/**
 * Creates an element. `attributes` keys are attribute names, except `className`, `dataset`
 * and `on<event>` (listeners); false and null values are skipped. Children are nodes or text.
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === false || value === null || value === undefined) {
      continue;
    }
    if (name === "className") {
      element.className = value;
    } else if (name === "dataset") {
      Object.assign(element.dataset, value);
    } else if (name.startsWith("on") && typeof value === "function") {
      element.addEventListener(name.slice(2).toLowerCase(), value);
    } else {
      element.setAttribute(name, value === true ? "" : String(value));
    }
  }
  append(element, children);
  return element;
}

function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces the children of `element`. */
export function replaceChildren(element, ...children) {
  element.replaceChildren();
  append(element, children);
}

/** Creates an SVG element with the given attributes. */
export function svg(tag, attributes = {}, ...children) {
  const element = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [name, value] of Object.entries(attributes)) {
    element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

/** Reads a query parameter of the current page, or null. */
export function queryParameter(name) {
  return new URLSearchParams(window.location.search).get(name);
}

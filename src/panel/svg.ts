const SVG_NS = 'http://www.w3.org/2000/svg';

/** An SVG element with its attributes. */
export function svg<K extends keyof SVGElementTagNameMap>(name: K, attributes: Record<string, string | number>, ...children: Node[]): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG_NS, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  element.append(...children);
  return element;
}

/**
 * An HTML element with its attributes (true: present, false or undefined: absent) and children;
 * text goes in as text, never as markup.
 */
export function html<K extends keyof HTMLElementTagNameMap>(
  name: K,
  attributes: Record<string, string | number | boolean | undefined> = {},
  ...children: Array<Node | string>
): HTMLElementTagNameMap[K] {
  const element = document.createElement(name);
  for (const [key, value] of Object.entries(attributes)) if (value !== false && value !== undefined) element.setAttribute(key, value === true ? '' : String(value));
  element.append(...children);
  return element;
}

/* Strings and times for the page's scripts. Every string comes translated from the server;
 * a placeholder in braces, like {time}, is filled in here. */

/* What the server gives the scripts: the page's own part (the #qadam-config block: who is
 * signed in, their tokens) over the part every page in its language shares (a cached script,
 * /client/<lang>.js, run before the modules: settings, URLs and every string). */
export function readConfig() {
  const block = document.getElementById("qadam-config");
  if (!block) return null;
  const page = JSON.parse(block.textContent);
  const shared = window.qadamShared || {};
  return { ...shared, ...page, outbox: { ...shared.outbox, ...page.outbox } };
}

export function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (match, name) => (name in values ? values[name] : match));
}

/* Like fill(), into `element`, each value isolated in a <bdi> (names in any direction). */
export function fillInto(element, template, values) {
  const parts = template.split(/\{(\w+)\}/);
  element.replaceChildren(
    ...parts.map((part, index) => {
      if (index % 2 === 0) return document.createTextNode(part);
      const isolated = document.createElement("bdi");
      isolated.textContent = part in values ? values[part] : `{${part}}`;
      return isolated;
    })
  );
}

export class Text {
  constructor(config) {
    this.strings = config.strings;
    const options = { timeZone: config.time_zone, numberingSystem: config.numbering };
    this.timeFormat = new Intl.DateTimeFormat(config.lang, { ...options, timeStyle: "short" });
    this.dateTimeFormat = new Intl.DateTimeFormat(config.lang, {
      ...options,
      dateStyle: "medium",
      timeStyle: "short",
    });
    this.dayFormat = new Intl.DateTimeFormat(config.lang, { ...options, dateStyle: "short" });
    this.numberFormat = new Intl.NumberFormat(config.lang, { numberingSystem: config.numbering });
    this.lang = config.lang;
    this.numbering = config.numbering;
  }

  /* A calendar day (YYYY-MM-DD) in the page's language; style "full" or "medium". */
  day(isoDate, style) {
    const format = new Intl.DateTimeFormat(this.lang, {
      dateStyle: style,
      timeZone: "UTC",
      numberingSystem: this.numbering,
    });
    return format.format(new Date(`${isoDate}T12:00:00Z`));
  }

  get(key, values = {}) {
    return fill(this.strings[key], values);
  }

  /* "10:42" today, the date as well on another day. */
  time(date) {
    const sameDay = this.dayFormat.format(date) === this.dayFormat.format(new Date());
    return (sameDay ? this.timeFormat : this.dateTimeFormat).format(date);
  }

  number(value) {
    return this.numberFormat.format(value);
  }
}

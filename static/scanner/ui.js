// The pieces of the scanning screen that are drawn from data: list rows and the lead panel.

import { el } from "./shell.js";

export function fullName(record) {
  const contact = record.contact;
  if (!contact) return "";
  return [contact.first_name, contact.last_name].filter(Boolean).join(" ");
}

const STATES_REFUSED = { revoked: "lead_refused_revoked", unknown: "lead_refused_unknown", invalid: "lead_refused_invalid" };

export function refusedText(record, t) {
  return t[STATES_REFUSED[record.state]] || "";
}

function companyLine(record, t) {
  const contact = record.contact;
  const line = contact && [contact.job_title, contact.company].filter(Boolean).join(" · ");
  return line || (record.state === "queued" ? t.name_after_sync : "");
}

/**
 * One row of the lead list. `ctx` = {t, formatTime, onOpen(key), onDismiss(key), twin}: a
 * `twin` has the same name as another row, so it shows the exact time as well. A refused scan
 * is no lead: its row only says why and can be dismissed.
 */
export function leadRow(record, ctx) {
  const { t } = ctx;
  const name = fullName(record) || record.code || t.scanned_badge;
  const refused = refusedText(record, t);
  const marks = [];
  if (record.state === "queued") marks.push(el("span", { class: "mark queued", text: t.lead_queued }));
  if (refused) marks.push(el("span", { class: "mark refused", text: refused }));
  if (record.rating) marks.push(el("span", { class: `chip rating-${record.rating}`, text: t[record.rating] }));
  for (const tag of record.tags || []) marks.push(el("span", { class: "chip tag", text: tag }));
  const meta = el(
    "span",
    { class: "lead-meta" },
    el("time", { datetime: record.scannedAt, text: ctx.formatTime(record.scannedAt, { exact: ctx.twin }) }),
    record.code && record.code !== name ? el("span", { class: "lead-code", text: record.code }) : null,
    marks,
  );
  const body = [el("span", { class: "lead-name", text: name }), el("span", { class: "lead-company", text: companyLine(record, t) }), meta];
  if (refused) {
    return el(
      "li",
      { class: `lead-row state-${record.state}` },
      el("div", { class: "lead-open" }, body),
      el("button", { type: "button", class: "button dismiss", text: t.dismiss, onclick: () => ctx.onDismiss(record.key) }),
    );
  }
  return el(
    "li",
    { class: `lead-row state-${record.state}${ctx.twin ? " twin" : ""}` },
    el("button", { type: "button", class: "lead-open", onclick: () => ctx.onOpen(record.key) }, body),
  );
}

export function matches(record, query) {
  if (!query) return true;
  const haystack = [
    fullName(record),
    record.contact && record.contact.company,
    record.contact && record.contact.job_title,
    record.code,
    ...(record.tags || []),
    ...(record.notes || []).map((note) => note.text),
  ]
    .filter(Boolean)
    .join(" ")
    .toLocaleLowerCase();
  return query
    .toLocaleLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => haystack.includes(word));
}

/**
 * The edit panel of one lead: rating, qualifying questions, tags and a note.
 * `ctx` = {t, questions, knownTags, formatTime, onChange(field, value, {now}), onSave(note), onClose}.
 */
export function leadPanel(record, ctx) {
  const { t } = ctx;
  const contact = record.contact;
  const heading = el(
    "div",
    { class: "panel-head" },
    el("h2", { class: "panel-name", text: fullName(record) || record.code || t.scanned_badge }),
    el("p", { class: "panel-company", text: companyLine(record, t) }),
    contact && contact.contact_shared === false ? el("p", { class: "panel-hint", text: t.contact_not_shared }) : null,
  );

  const ratings = el("div", { class: "rating", role: "group", "aria-label": t.rating });
  for (const value of ["hot", "warm", "cold"]) {
    ratings.append(
      el("button", {
        type: "button",
        class: `rate rate-${value}`,
        "data-rating": value,
        "aria-pressed": record.rating === value ? "true" : "false",
        text: t[value],
        onclick: (event) => {
          for (const button of ratings.querySelectorAll("button")) button.setAttribute("aria-pressed", "false");
          event.currentTarget.setAttribute("aria-pressed", "true");
          ctx.onChange("rating", value, { now: true });
        },
      }),
    );
  }

  const questions = el("div", { class: "questions" });
  for (const question of ctx.questions || []) questions.append(questionField(question, record, ctx));

  // Tags are added to a lead, never taken away (the API merges them), so chips are not removable.
  const tags = new Set(record.tags || []);
  const tagList = el("ul", { class: "tag-list" });
  const drawTags = () => {
    tagList.replaceChildren(...[...tags].map((tag) => el("li", {}, el("span", { class: "chip tag", text: tag }))));
  };
  drawTags();
  const tagInput = el("input", { type: "text", class: "tag-input", list: "known-tags", placeholder: t.tag_placeholder, enterkeyhint: "done", autocomplete: "off", "aria-label": t.tags });
  const addTag = () => {
    const value = tagInput.value.trim().slice(0, 40);
    if (value && !tags.has(value)) {
      tags.add(value);
      drawTags();
      ctx.onChange("tags", [value]);
    }
    tagInput.value = "";
  };
  tagInput.addEventListener("keydown", (event) => {
    if (event.key === "Enter" || event.key === ",") {
      event.preventDefault();
      addTag();
    }
  });
  const known = el("datalist", { id: "known-tags" }, (ctx.knownTags || []).map((tag) => el("option", { value: tag })));

  const note = el("textarea", { class: "note", rows: "2", placeholder: t.note_placeholder, "aria-label": t.note, maxlength: "2000" });
  const savedNotes = el(
    "ul",
    { class: "notes" },
    (record.notes || []).map((item) => el("li", {}, el("time", { text: ctx.formatTime(item.at) }), " ", item.text)),
  );
  const status = el("p", { class: "panel-status", role: "status" });

  const panel = el(
    "section",
    { class: "lead-panel", "data-lead": record.key },
    heading,
    el("div", { class: "panel-section" }, el("h3", { text: t.rating }), ratings),
    (ctx.questions || []).length ? el("div", { class: "panel-section" }, el("h3", { text: t.questions }), questions) : null,
    el("div", { class: "panel-section" }, el("h3", { text: t.tags }), tagList, el("div", { class: "tag-add" }, tagInput, el("button", { type: "button", class: "button", text: t.tag_add, onclick: addTag })), known),
    el("div", { class: "panel-section" }, el("h3", { text: t.note }), note, (record.notes || []).length ? savedNotes : null),
    el(
      "div",
      { class: "panel-actions" },
      el("button", { type: "button", class: "button primary save", text: t.save, onclick: () => { addTag(); ctx.onSave(takeNote()); } }),
      el("button", { type: "button", class: "button close", text: ctx.closeLabel || t.close, onclick: () => { addTag(); ctx.onClose(takeNote()); } }),
    ),
    status,
  );
  function takeNote() {
    const value = note.value.trim();
    note.value = "";
    return value;
  }
  panel.takeNote = takeNote;
  // Text in the note or tag field that no edit holds yet: a redraw would lose it.
  panel.unsent = () => Boolean(note.value.trim() || tagInput.value.trim());
  panel.showStatus = (text) => {
    status.textContent = text;
  };
  return panel;
}

function questionField(question, record, ctx) {
  const id = String(question.id);
  const current = (record.answers || {})[id];
  const wrap = el("fieldset", { class: "question" }, el("legend", { text: question.text }));
  if (question.kind === "single" || question.kind === "multiple") {
    const multiple = question.kind === "multiple";
    const chosen = new Set(Array.isArray(current) ? current : current ? [current] : []);
    const options = el("div", { class: "choices" });
    for (const choice of question.choices || []) {
      const input = el("input", { type: multiple ? "checkbox" : "radio", name: `q-${id}-${record.key}`, value: choice, checked: chosen.has(choice) });
      input.addEventListener("change", () => {
        if (multiple) {
          if (input.checked) chosen.add(choice);
          else chosen.delete(choice);
          ctx.onChange("answer", { id, value: [...chosen] });
        } else {
          ctx.onChange("answer", { id, value: choice });
        }
      });
      options.append(el("label", { class: "choice" }, input, el("span", { text: choice })));
    }
    wrap.append(options);
  } else {
    const input = el("input", { type: "text", value: typeof current === "string" ? current : "", "aria-label": question.text, maxlength: "500" });
    input.addEventListener("change", () => ctx.onChange("answer", { id, value: input.value.trim() }));
    wrap.append(input);
  }
  return wrap;
}

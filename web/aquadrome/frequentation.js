// Occupancy of each session over a week (Monday to Sunday), as a bar chart drawn in SVG and
// as a table with the same figures, the table being the accessible form of the chart.

import { get } from "../js/api.js";
import { h, queryParameter, replaceChildren, svg } from "../js/dom.js";
import { messageFor } from "../js/errors.js";
import {
  addDays,
  formatDay,
  formatShortDay,
  formatTimeRange,
  isIsoDay,
  mondayOf,
  plural,
  todayInParis,
} from "../js/format.js";
import { startPage } from "../js/shell.js";

const container = document.getElementById("frequentation");
const summary = document.getElementById("synthese");

// Chart geometry, in SVG user units: one panel per day, bars share the panel's width.
const PANEL_WIDTH = 130;
const PANEL_GAP = 12;
const PLOT_HEIGHT = 180;
const LEFT_AXIS = 40;
const TOP_MARGIN = 12;
const BOTTOM_AXIS = 44;
const MAX_BAR_WIDTH = 28;
const MIN_LABELLED_SLOT_WIDTH = 24;
// Columns of the table, in the order of its headers.
const FIGURES = ["capacity", "booked", "checked_in", "no_shows", "places_left"];
const COLOURS = {
  capacity: "#e3e3fd",
  capacityBorder: "#767676",
  booked: "#000091",
  checkedIn: "#18753c",
  axis: "#3a3a3a",
};

function chartText(x, y, text, attributes) {
  return svg("text", { x, y, "text-anchor": "middle", ...attributes }, text);
}

function sessionName(day, row) {
  return `${formatShortDay(day)} ${row.start}–${row.end}`;
}

function drawPanel(day, rows, x, scale) {
  const group = svg("g", { transform: `translate(${x} ${TOP_MARGIN})` });
  const baseline = PLOT_HEIGHT;
  group.append(
    chartText(PANEL_WIDTH / 2, baseline + 34, formatShortDay(day), { "font-size": 12 }),
  );
  if (rows.length === 0) {
    group.append(
      chartText(PANEL_WIDTH / 2, baseline - 8, "aucune séance", {
        "font-size": 11,
        fill: COLOURS.axis,
      }),
    );
    return group;
  }
  const slotWidth = PANEL_WIDTH / rows.length;
  const barWidth = Math.min(MAX_BAR_WIDTH, Math.max(1, slotWidth * 0.75));
  // Start times and booked counts are written only where a bar is wide enough to carry them.
  const labelled = slotWidth >= MIN_LABELLED_SLOT_WIDTH;
  rows.forEach((row, index) => {
    const left = index * slotWidth + (slotWidth - barWidth) / 2;
    const centre = left + barWidth / 2;
    const bar = (value, fill, stroke = "none") => {
      const height = value * scale;
      return svg("rect", { x: left, y: baseline - height, width: barWidth, height, fill, stroke });
    };
    const item = svg(
      "g",
      { "data-seance": row.slot_id },
      svg(
        "title",
        {},
        `${sessionName(day, row)} : ${row.booked} réservées sur ${row.capacity}, ` +
          `${row.checked_in} entrées validées`,
      ),
      bar(row.capacity, COLOURS.capacity, COLOURS.capacityBorder),
      bar(row.booked, COLOURS.booked),
      bar(row.checked_in, COLOURS.checkedIn),
    );
    if (labelled) {
      item.append(
        chartText(centre, baseline - row.booked * scale - 3, String(row.booked), {
          "font-size": 10,
        }),
        chartText(centre, baseline + 14, row.start, { "font-size": 9, fill: COLOURS.axis }),
      );
    }
    group.append(item);
  });
  return group;
}

function drawChart(week, maxCapacity) {
  const width = LEFT_AXIS + week.length * (PANEL_WIDTH + PANEL_GAP);
  const height = TOP_MARGIN + PLOT_HEIGHT + BOTTOM_AXIS;
  const scale = PLOT_HEIGHT / Math.max(1, maxCapacity);
  const chart = svg("svg", {
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    role: "img",
    "aria-labelledby": "graphique-titre",
    "aria-describedby": "graphique-description",
  });
  chart.append(
    svg("title", { id: "graphique-titre" }, "Places réservées et entrées validées par séance"),
    svg(
      "desc",
      { id: "graphique-description" },
      "Le tableau qui suit le graphique donne les mêmes chiffres.",
    ),
  );
  for (const fraction of [0, 0.5, 1]) {
    const value = Math.round(maxCapacity * fraction);
    const y = TOP_MARGIN + PLOT_HEIGHT - value * scale;
    chart.append(
      svg("line", {
        x1: LEFT_AXIS - 4,
        x2: width,
        y1: y,
        y2: y,
        stroke: COLOURS.axis,
        "stroke-width": fraction === 0 ? 1 : 0.5,
        "stroke-dasharray": fraction === 0 ? "none" : "3 3",
      }),
      chartText(LEFT_AXIS - 8, y + 4, String(value), { "text-anchor": "end", "font-size": 11 }),
    );
  }
  week.forEach(({ day, rows }, index) => {
    chart.append(drawPanel(day, rows, LEFT_AXIS + index * (PANEL_WIDTH + PANEL_GAP), scale));
  });
  return chart;
}

function legend() {
  const entry = (colour, label) =>
    h("li", {}, h("span", { "aria-hidden": "true", style: `background:${colour}` }), label);
  return h(
    "ul",
    { className: "legende", "aria-label": "Légende du graphique" },
    entry(COLOURS.capacity, "Capacité de la séance"),
    entry(COLOURS.booked, "Places réservées"),
    entry(COLOURS.checkedIn, "Entrées validées"),
  );
}

function table(week, monday) {
  const headers = [
    "Capacité",
    "Réservées",
    "Entrées validées",
    "Absences",
    "Places restantes",
  ];
  const numbers = (row) => FIGURES.map((key) => row[key]);
  const rows = week.flatMap(({ day, rows: sessions }) =>
    sessions.map((row) =>
      h(
        "tr",
        {},
        h("th", { scope: "row" }, `${formatDay(day)}, ${formatTimeRange(row.start, row.end)}`),
        numbers(row).map((value) => h("td", { className: "nombre" }, String(value))),
      ),
    ),
  );
  const all = week.flatMap((entry) => entry.rows);
  const total = (key) => all.reduce((sum, row) => sum + row[key], 0);
  return h(
    "div",
    { className: "tableau" },
    h(
      "table",
      {},
      h("caption", {}, `Fréquentation des séances de la semaine du ${formatDay(monday)}`),
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", { scope: "col" }, "Séance"),
          headers.map((label) => h("th", { scope: "col", className: "nombre" }, label)),
        ),
      ),
      h("tbody", {}, rows),
      h(
        "tfoot",
        {},
        h(
          "tr",
          {},
          h("th", { scope: "row" }, "Total de la semaine"),
          FIGURES.map((key) =>
            h("td", { className: "nombre" }, String(total(key))),
          ),
        ),
      ),
    ),
  );
}

async function main() {
  const session = await startPage({ audience: "aquadrome_agent" });
  if (!session) {
    return;
  }
  const requested = queryParameter("semaine");
  const monday = mondayOf(isIsoDay(requested) ? requested : todayInParis());
  const days = Array.from({ length: 7 }, (_, index) => addDays(monday, index));
  document.getElementById("semaine").value = monday;
  document.getElementById("titre-semaine").textContent =
    `Semaine du ${formatDay(monday)} au ${formatDay(days[6])}`;
  document.getElementById("semaine-precedente").search = `?semaine=${addDays(monday, -7)}`;
  document.getElementById("semaine-suivante").search = `?semaine=${addDays(monday, 7)}`;

  try {
    const responses = await Promise.all(
      days.map((day) => get("/aquadrome/occupancy", { query: { day } })),
    );
    const week = responses.map((response, index) => ({ day: days[index], rows: response.slots }));
    const all = week.flatMap((entry) => entry.rows);
    if (all.length === 0) {
      summary.textContent = "Aucune séance n'est programmée cette semaine.";
      replaceChildren(container);
      return;
    }
    const booked = all.reduce((sum, row) => sum + row.booked, 0);
    const capacity = all.reduce((sum, row) => sum + row.capacity, 0);
    const checkedIn = all.reduce((sum, row) => sum + row.checked_in, 0);
    summary.textContent =
      `${plural(all.length, "séance")} cette semaine : ` +
      `${plural(booked, "place réservée", "places réservées")} sur ${capacity}, ` +
      `${plural(checkedIn, "entrée validée", "entrées validées")}.`;
    const maxCapacity = Math.max(...all.map((row) => row.capacity));
    replaceChildren(
      container,
      h(
        "figure",
        { className: "graphique" },
        drawChart(week, maxCapacity),
        h("figcaption", {}, legend()),
      ),
      table(week, monday),
    );
  } catch (error) {
    summary.textContent = "";
    replaceChildren(
      container,
      h("div", { className: "encart encart-erreur", role: "alert" }, h("p", {}, messageFor(error))),
    );
  } finally {
    container.removeAttribute("aria-busy");
  }
}

main();

// The Train page's live chart (ui/train/live_chart.py), loaded by the component's few lines there: draws the whole
// figure once, then appends the points each message brings and moves the best epoch's star and the overfitting marks
// when they change.
// A message that does not follow what the chart holds (a page drawn again, a lost message) asks for the whole
// figure again (the trigger "resync").
// While the training runs, it also draws the progress line above the chart and the last epoch's numbers under it, in
// the markup of Streamlit's progress bar and metrics (their test ids: the page's CSS and the tests read them alike),
// touching the page only where a value changed.

const charts = new WeakMap(); // the component's element -> its chart and what the chart holds
let plotly = null; // plotly.js, loaded once per page

function loadPlotly(src) {
  if (!plotly) {
    plotly = new Promise((resolve, reject) => {
      if (window.Plotly) return resolve(window.Plotly);
      const script = document.createElement("script");
      script.src = new URL(src, document.baseURI).href;
      script.onload = () => resolve(window.Plotly);
      script.onerror = () => { plotly = null; reject(new Error("plotly.js did not load from " + src)); };
      document.head.appendChild(script);
    });
  }
  return plotly;
}

function pageLook(layout, element) {
  // what Streamlit's own chart theme gives the finished chart (its values read off that chart), so that the live
  // chart looks the same and its axes' numbers get the same room
  const font = getComputedStyle(element).fontFamily;
  layout.font = Object.assign({}, layout.font, { family: font });
  layout.hoverlabel = Object.assign({ bgcolor: "#ffffff", font: { family: font } }, layout.hoverlabel);
  layout.paper_bgcolor = layout.paper_bgcolor || "#ffffff";
  layout.plot_bgcolor = layout.plot_bgcolor || "#ffffff";
  layout.margin = Object.assign({}, layout.margin, { pad: 8 });
  for (const name of Object.keys(layout)) {
    const axis = layout[name];
    if (name.startsWith("xaxis")) {
      Object.assign(axis, { showgrid: false, zeroline: false, automargin: true });
      axis.title = Object.assign({ standoff: 20 }, axis.title);
    }
    if (name.startsWith("yaxis")) {
      Object.assign(axis, { gridcolor: GRID, zerolinecolor: GRID, automargin: true, ticklabelposition: "outside" });
      axis.title = Object.assign({ standoff: 24 }, axis.title);
    }
  }
  return layout;
}

const GRID = "#e6eaf1"; // Streamlit's light theme's grid lines

function place(chart, marks) {
  // the star of the lowest test loss and the overfitting band, where the reading puts them now
  const star = chart.data[chart.star];
  Object.assign(star, { x: marks.star.x, y: marks.star.y, text: marks.star.text, showlegend: marks.star.x.length > 0 });
  if (marks.star.textposition) star.textposition = marks.star.textposition;
  chart.layout.shapes = chart.base.shapes.concat(marks.shapes);
  chart.layout.annotations = chart.base.annotations.concat(marks.annotations);
}

async function apply(P, chart, m, resync) {
  // One Plotly.react per message: extendTraces and then a restyle for the marks drew the chart twice.
  if (m.figure) {
    const fig = JSON.parse(m.figure);
    chart.data = fig.data;
    chart.layout = pageLook(fig.layout, chart.div);
    chart.config = m.config;
    chart.base = { shapes: chart.layout.shapes || [], annotations: chart.layout.annotations || [] };
    chart.star = m.star;
    chart.asked = false;
    chart.figures = (chart.figures || 0) + 1;
  } else if (chart.run !== m.run) {
    return resync();
  } else if (chart.batches !== m.batches || chart.epochs !== m.epochs) {
    if (chart.batches !== m.from[0] || chart.epochs !== m.from[1]) return resync();
    m.x.forEach((xs, i) => {
      if (xs.length) {
        chart.data[i].x = chart.data[i].x.concat(xs);
        chart.data[i].y = chart.data[i].y.concat(m.y[i]);
      }
    });
  } else if (!m.marks) {
    return; // nothing new
  }
  chart.run = m.run;
  chart.batches = m.batches;
  chart.epochs = m.epochs;
  if (m.marks) place(chart, m.marks); // sent when they moved, and with every whole figure
  chart.layout.datarevision = (chart.layout.datarevision || 0) + 1;
  await P.react(chart.div, chart.data, chart.layout, chart.config);
  // what the chart holds, and how many whole figures it was sent, for the browser tests to wait on and read
  Object.assign(chart.div.dataset, { points: chart.batches, epochs: chart.epochs, figures: chart.figures });
}

// Streamlit's look, as its light theme draws a progress bar and a metric (sizes in rem: the classroom view's bigger
// root font and its rules, which win over these, enlarge them as they enlarge Streamlit's own)
const CSS = `
.fcviz-live-progress { margin-bottom: 1rem; }
:where(.fcviz-live-progress) p { font-size: 0.875rem; margin: 0 0 0.5rem 0; line-height: normal; }
.fcviz-live-track { height: 0.5rem; border-radius: 0.25rem; background: #f8f8f7; overflow: hidden; }
.fcviz-live-fill { height: 100%; width: 100%; }
.fcviz-live-numbers { display: flex; flex-wrap: wrap; align-items: flex-start; gap: 4rem; margin-top: 1rem; }
.fcviz-live-numbers:empty { display: none; }
:where(.fcviz-live-numbers) p { margin: 0; line-height: normal; }
:where(.fcviz-live-numbers) [data-testid=stMetricLabel] p { font-size: 0.875rem; }
:where(.fcviz-live-numbers) [data-testid=stMetricValue] p { font-size: 2.25rem; }
.fcviz-live-numbers [data-testid=stMetricValue] { padding-bottom: 0.25rem; }
.fcviz-live-delta { display: inline-flex; align-items: center; gap: 0.125rem; font-size: 0.875rem;
  color: rgb(104, 98, 85); background: rgb(245, 244, 242); border-radius: 9999px; padding: 0.125rem 0.25rem; }
.fcviz-live-delta svg { width: 0.9rem; height: 0.9rem; }
:where(.fcviz-live-delta) p { font-size: inherit; }
`;
const ARROWS = { // Streamlit's metric arrows
  up: "M4 12l1.41 1.41L11 7.83V20h2V7.83l5.58 5.59L20 12l-8-8-8 8z",
  down: "M20 12l-1.41-1.41L13 16.17V4h-2v12.17l-5.58-5.59L4 12l8 8 8-8z",
};

function element(tag, attributes, children = []) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
  el.append(...children);
  return el;
}

function markdown(text) { // Streamlit's markdown text: a paragraph in its container
  return element("div", { "data-testid": "stMarkdownContainer" }, [element("p", {}, [text])]);
}

function showProgress(parts, progress, color) {
  // the progress line, its text and bar changed in place
  parts.progress.hidden = !progress; // (while the training waits for a slot: the page says so above)
  if (!progress) return parts.progress.removeAttribute("data-testid");
  parts.progress.setAttribute("data-testid", "stProgress");
  if (!parts.text) {
    parts.text = element("p", {});
    parts.fill = element("div", { class: "fcviz-live-fill" });
    parts.bar = element("div", { role: "progressbar", "aria-valuemin": "0", "aria-valuemax": "100" },
      [element("div", { class: "fcviz-live-track", "data-testid": "stProgressBarTrack" }, [parts.fill])]);
    parts.progress.append(element("div", { "data-testid": "stMarkdownContainer" }, [parts.text]), parts.bar);
  }
  if (parts.text.textContent !== progress.text) parts.text.textContent = progress.text;
  const percent = Math.round(progress.fraction * 100);
  if (parts.bar.getAttribute("aria-valuenow") !== String(percent)) {
    parts.bar.setAttribute("aria-valuenow", String(percent));
    parts.fill.style.transform = `translateX(${percent - 100}%)`;
  }
  parts.fill.style.background = color;
}

function showNumbers(parts, numbers) {
  // the last epoch's numbers, redrawn only when one changed (once an epoch)
  const key = JSON.stringify(numbers);
  if (parts.shownNumbers === key) return;
  parts.shownNumbers = key;
  parts.numbers.replaceChildren(...numbers.map((n) => element("div", { class: "stMetric", "data-testid": "stMetric" }, [
    element("label", { "data-testid": "stMetricLabel" }, [markdown(n.label)]),
    element("div", { "data-testid": "stMetricValue" }, [markdown(n.value)]),
    ...(n.delta ? [delta(n.delta)] : []),
  ])));
}

function delta(text) {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("fill", "currentColor");
  svg.setAttribute("aria-hidden", "true");
  const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
  path.setAttribute("d", text.trim().startsWith("-") ? ARROWS.down : ARROWS.up); // Streamlit's rule
  svg.append(path);
  return element("div", { class: "fcviz-live-delta", "data-testid": "stMetricDelta" }, [svg, markdown(text)]);
}

export function render(component) {
  const { data, parentElement, setTriggerValue } = component;
  let chart = charts.get(parentElement);
  if (!chart) {
    if (!document.getElementById("fcviz-live-css")) {
      document.head.append(element("style", { id: "fcviz-live-css" }, [CSS]));
    }
    const progress = element("div", { class: "stProgress fcviz-live-progress" });
    const div = document.createElement("div");
    div.className = "fcviz-live-chart";
    div.setAttribute("data-testid", "fcviz-live-chart");
    const numbers = element("div", { class: "fcviz-live-numbers" });
    parentElement.append(progress, div, numbers);
    chart = { div, queue: Promise.resolve(), parts: { progress, numbers } };
    charts.set(parentElement, chart);
  }
  showProgress(chart.parts, data.progress, data.color);
  showNumbers(chart.parts, data.numbers || []);
  const resync = () => { // once until the whole figure comes
    if (!chart.asked) setTriggerValue("resync", Date.now());
    chart.asked = true;
  };
  chart.queue = chart.queue
    .then(() => (data.figure ? loadPlotly(data.plotly) : plotly)) // plotly.js comes with the first figure
    .then((P) => (P ? apply(P, chart, data, resync) : resync()))
    .catch((error) => console.error("fcviz live chart:", error));
}

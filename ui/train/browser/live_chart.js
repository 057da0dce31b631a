// The Train page's live chart (ui/train/live_chart.py), loaded by the component's few lines there: draws the whole
// figure once, then appends the points each message brings and moves the best epoch's star and the overfitting marks
// when they change.
// With a feed (ui/train/feed.py), the component asks it for the messages itself, once a second, and draws the
// progress line, the last epoch's numbers and the reading's warnings too; it asks the page to run its live part again
// when the feed says so (the trigger "redraw": the gradients' chart follows the epochs) and when the training has
// ended ("ended").
// Without one, Streamlit sends the messages; one that does not follow what the chart holds (a page drawn again, a
// lost message) asks for the whole figure again (the trigger "resync").

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

function fitAxes(layout, mark) {
  // the ranges an empty chart was given (0 to 1 epoch, 0 to 100 %) give way to the first points'
  for (const name of Object.keys(layout)) {
    if (/^[xy]axis/.test(name)) {
      delete layout[name].range;
      layout[name].autorange = true;
    }
  }
  delete layout.meta[mark];
}

const GRID = "#e6eaf1"; // Streamlit's light theme's grid lines

function place(chart, marks) {
  // the star of the lowest test loss and the overfitting band, where the reading puts them now
  const star = chart.data[chart.star];
  Object.assign(star, { x: marks.star.x, y: marks.star.y, name: marks.star.name, showlegend: marks.star.x.length > 0 });
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
    chart.empty = m.empty;
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
    if (chart.layout.meta && chart.layout.meta[chart.empty]) fitAxes(chart.layout, chart.empty);
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

export function render(component) {
  const { data, parentElement, setTriggerValue } = component;
  let chart = charts.get(parentElement);
  if (!chart) {
    const div = document.createElement("div");
    div.className = "fcviz-live-chart";
    div.setAttribute("data-testid", "fcviz-live-chart");
    parentElement.appendChild(div);
    chart = { div, queue: Promise.resolve() };
    charts.set(parentElement, chart);
  }
  if (data.feed) return follow(chart, data, setTriggerValue);
  const resync = () => { // once until the whole figure comes
    if (!chart.asked) setTriggerValue("resync", Date.now());
    chart.asked = true;
  };
  chart.queue = chart.queue
    .then(() => (data.figure ? loadPlotly(data.plotly) : plotly)) // plotly.js comes with the first figure
    .then((P) => (P ? apply(P, chart, data, resync) : resync()))
    .catch((error) => console.error("fcviz live chart:", error));
}

// ---- with a feed -------------------------------------------------------------------------------------------------

const STYLE = `
.fcviz-feed-status { margin-bottom: 1rem; line-height: 1.6; font-size: 0.875rem; }
.fcviz-feed-status.info, .fcviz-feed-status.error { font-size: 1rem; padding: 1rem; border-radius: 0.5rem; }
.fcviz-feed-status.info { background: rgba(28, 131, 225, 0.1); color: rgb(0, 66, 128); }
.fcviz-feed-status.error { background: rgba(255, 43, 43, 0.09); color: rgb(125, 53, 59); }
.fcviz-feed-bar { height: 0.5rem; border-radius: 0.5rem; background: rgb(240, 242, 246); overflow: hidden;
  margin-top: 0.25rem; }
.fcviz-feed-bar > div { height: 100%; background: #005B8F; }
.fcviz-feed-numbers { display: flex; flex-wrap: wrap; column-gap: 3rem; row-gap: 1rem; margin-top: 1rem; }
.fcviz-feed-number .label { font-size: 0.875rem; line-height: 1.6; }
.fcviz-feed-number .value { font-size: 2.25rem; line-height: 1.4; }
.fcviz-feed-warning { margin-top: 1rem; padding: 1rem; border-radius: 0.5rem; font-size: 1rem; line-height: 1.6;
  background: rgba(255, 227, 18, 0.1); color: #7a5a04; }
.fcviz-feed-number .delta { display: inline-block; font-size: 0.875rem; padding: 0 0.5rem; border-radius: 0.5rem;
  background: rgba(49, 51, 63, 0.1); color: rgb(49, 51, 63); }
`;

function styled() {
  if (document.getElementById("fcviz-feed-style")) return;
  const style = document.createElement("style");
  style.id = "fcviz-feed-style";
  style.textContent = STYLE;
  document.head.appendChild(style);
}

function showStatus(chart, status) {
  // the training's state line: a note (queued, starting) or the progress bar with its words
  const el = chart.status;
  if (!status) { el.hidden = true; return; }
  el.hidden = false;
  el.className = "fcviz-feed-status " + status.kind;
  el.setAttribute("role", status.kind === "progress" ? "progressbar" : "status");
  if (status.kind !== "progress") { el.replaceChildren(text("div", "", status.text)); return; }
  const bar = text("div", "fcviz-feed-bar", "");
  const done = text("div", "", "");
  done.style.width = `${Math.round(status.fraction * 1000) / 10}%`;
  bar.appendChild(done);
  el.replaceChildren(text("div", "", status.text), bar);
  el.setAttribute("aria-valuenow", Math.round(status.fraction * 100));
}

function showNumbers(chart, numbers) {
  // the last epoch's numbers under the curves, as the page's metrics show them once the training has ended (redrawn
  // only when they changed: at an epoch's end)
  const shown = JSON.stringify(numbers);
  if (shown === chart.shownNumbers) return;
  chart.shownNumbers = shown;
  chart.numbers.replaceChildren(...numbers.map((n) => {
    const box = text("div", "fcviz-feed-number", "");
    box.setAttribute("data-testid", "fcviz-feed-number");
    box.append(text("div", "label", n.label), text("div", "value", n.value));
    if (n.delta) box.append(text("div", "delta", n.delta));  // signed already, as the finished run's metric shows it
    return box;
  }));
}

function text(tag, className, words) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  el.textContent = words;
  return el;
}

function follow(chart, data, trigger) {
  // ask the feed every `data.every` ms until the training ends; one loop per chart, restarted for a new feed
  chart.trigger = trigger;
  if (chart.feed === data.feed) return;
  chart.feed = data.feed;
  chart.redraw = data.redraw; // what the page drew; then each answer is compared with the one before
  let asked = 0; // times the page was asked to draw the finished run (asked again if a trigger was lost)
  styled();
  if (!chart.status) {
    chart.status = text("div", "fcviz-feed-status", "");
    chart.status.setAttribute("data-testid", "fcviz-feed-status");
    chart.numbers = text("div", "fcviz-feed-numbers", "");
    chart.warnings = text("div", "fcviz-feed-warnings", "");
    chart.div.before(chart.status);
    chart.div.after(chart.numbers, chart.warnings);
  }
  const url = new URL(data.feed, document.baseURI);
  const tick = async () => {
    if (chart.feed !== data.feed || !chart.div.isConnected) return; // another feed, or the chart has gone
    let next = data.every;
    try {
      url.search = new URLSearchParams({ run: chart.run || "", b: chart.batches ?? "", e: chart.epochs ?? "" });
      const response = await fetch(url, { cache: "no-store", signal: AbortSignal.timeout(WAIT) });
      const m = response.status === 404 ? { gone: true } : await response.json();
      if (!m.gone) await present(chart, data, m);
      if (m.gone || !m.active) { // ended, or this server no longer follows it: the page draws what happened
        if (asked++ >= ASK_AGAIN) return;
        chart.trigger("ended", Date.now());
        next = 5 * data.every; // (asked again only if the page did not draw it by then: a lost trigger)
      }
    } catch (error) {
      console.error("fcviz live feed:", error); // (a lost answer: the next one brings what is new)
      next = 2 * data.every;
    }
    setTimeout(tick, next);
  };
  chart.queue = chart.queue.then(tick);
}

const ASK_AGAIN = 3;
const WAIT = 15000; // ms: an answer that has not come by then is given up, and asked for again

async function present(chart, data, m) {
  // one answer of the feed: the chart's new points (or whole figure), the state line, the numbers, the warnings;
  // the page's live part is run again when the feed says so
  m.config = data.config;
  const P = await (m.figure ? loadPlotly(data.plotly) : plotly); // (plotly.js comes with the first figure)
  if (P) await apply(P, chart, m, () => { chart.run = null; }); // (the next answer brings the whole figure)
  else chart.run = null;
  showStatus(chart, m.status);
  showNumbers(chart, m.numbers);
  const warnings = JSON.stringify(m.warnings);
  if (warnings !== chart.shownWarnings) {
    chart.warnings.replaceChildren(...m.warnings.map((w) => text("div", "fcviz-feed-warning", w)));
    chart.shownWarnings = warnings;
  }
  if (m.active && m.redraw !== chart.redraw) chart.trigger("redraw", Date.now());
  chart.redraw = m.redraw;
}

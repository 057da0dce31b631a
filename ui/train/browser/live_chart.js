// The Train page's live chart (ui/train/live_chart.py), loaded by the component's few lines there: draws the whole
// figure once, then appends the points each message brings and moves the best epoch's star and the overfitting marks
// when they change.
// A message that does not follow what the chart holds (a page drawn again, a lost message) asks for the whole
// figure again (the trigger "resync").

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
  const resync = () => { // once until the whole figure comes
    if (!chart.asked) setTriggerValue("resync", Date.now());
    chart.asked = true;
  };
  chart.queue = chart.queue
    .then(() => (data.figure ? loadPlotly(data.plotly) : plotly)) // plotly.js comes with the first figure
    .then((P) => (P ? apply(P, chart, data, resync) : resync()))
    .catch((error) => console.error("fcviz live chart:", error));
}

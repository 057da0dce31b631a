// The Train page's live chart (ui/train/live_chart.py), loaded by the component's few lines there: draws the whole figure once, then appends the points each
// message brings (Plotly.extendTraces) and moves the best epoch's star and the overfitting marks when they change.
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
  // what Streamlit's own chart theme gives the finished chart, so that the live chart looks the same
  const font = getComputedStyle(element).fontFamily;
  layout.font = Object.assign({}, layout.font, { family: font });
  layout.hoverlabel = Object.assign({ bgcolor: "#ffffff", font: { family: font } }, layout.hoverlabel);
  layout.paper_bgcolor = layout.paper_bgcolor || "#ffffff";
  layout.plot_bgcolor = layout.plot_bgcolor || "#ffffff";
  for (const name of Object.keys(layout)) {
    if (name.startsWith("xaxis")) Object.assign(layout[name], { showgrid: false, zeroline: false, automargin: true });
    if (name.startsWith("yaxis")) {
      Object.assign(layout[name], { gridcolor: GRID, zerolinecolor: GRID, automargin: true });
    }
  }
  return layout;
}

const GRID = "#e6e9ef"; // Streamlit's light theme's grid lines

async function apply(P, chart, m, resync) {
  if (m.figure) {
    const fig = JSON.parse(m.figure);
    const layout = pageLook(fig.layout, chart.div);
    chart.base = { shapes: layout.shapes || [], annotations: layout.annotations || [] };
    chart.star = m.star;
    chart.asked = false;
    await P.react(chart.div, fig.data, layout, m.config);
    chart.figures = (chart.figures || 0) + 1;
  } else if (chart.run !== m.run) {
    return resync();
  } else if (chart.batches !== m.batches || chart.epochs !== m.epochs) {
    if (chart.batches !== m.from[0] || chart.epochs !== m.from[1]) return resync();
    const traces = [], x = [], y = [];
    m.x.forEach((xs, i) => {
      if (xs.length) { traces.push(i); x.push(xs); y.push(m.y[i]); }
    });
    if (traces.length) await P.extendTraces(chart.div, { x, y }, traces);
  }
  chart.run = m.run;
  chart.batches = m.batches;
  chart.epochs = m.epochs;
  if (m.marks) { // sent when they changed, and with every whole figure
    const star = m.marks.star;
    const restyle = { x: [star.x], y: [star.y], text: [star.text], showlegend: [star.x.length > 0] };
    if (star.textposition) restyle.textposition = [star.textposition];
    await P.update(chart.div, restyle, {
      shapes: chart.base.shapes.concat(m.marks.shapes),
      annotations: chart.base.annotations.concat(m.marks.annotations),
    }, [chart.star]);
  }
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

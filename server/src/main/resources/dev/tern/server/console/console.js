// Tern's web console: plain script over the server's own REST endpoints (KServe v2 and Triton's
// repository, config and statistics extensions), no libraries and no requests elsewhere.
'use strict';

(function () {
  const TOKEN_KEY = 'tern.token';
  const STATS_PERIOD_MS = 2000;
  const CHART_POINTS = 60;
  const SHOWN_VALUES = 32;

  const byId = (id) => document.getElementById(id);
  let selected = null; // { name, metadata } of the model the try-it form is for
  let selections = 0; // counts clicks on model names, so that only the latest one's answers are shown

  // ---- calls to the server -------------------------------------------------------------

  function authorization() {
    const token = sessionStorage.getItem(TOKEN_KEY);
    return token ? { Authorization: 'Bearer ' + token } : {};
  }

  /** Calls the server and returns the parsed JSON answer; throws an Error naming the call and the server's error. */
  async function call(method, path, body) {
    const headers = authorization();
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    const response = await fetch(path, { method, headers, body });
    const text = await response.text();
    let json = {};
    if (text) {
      try {
        json = JSON.parse(text);
      } catch (e) {
        throw new Error(method + ' ' + path + ': HTTP ' + response.status + ', an answer that is not JSON');
      }
    }
    if (!response.ok) {
      throw new Error(method + ' ' + path + ': HTTP ' + response.status + (json.error ? ': ' + json.error : ''));
    }
    return json;
  }

  function modelPath(name) {
    return '/v2/models/' + encodeURIComponent(name);
  }

  function showStatus(element, message, isError) {
    element.textContent = message;
    element.classList.toggle('error', Boolean(isError));
  }

  function element(tag, text, className) {
    const made = document.createElement(tag);
    if (text !== undefined) {
      made.textContent = text;
    }
    if (className) {
      made.className = className;
    }
    return made;
  }

  // ---- the repository index and load / unload / reload ----------------------------------

  async function refreshModels() {
    const status = byId('models-status');
    try {
      renderModels(await call('POST', '/v2/repository/index', '{}'));
      showStatus(status, 'Updated ' + new Date().toLocaleTimeString());
    } catch (e) {
      showStatus(status, e.message, true);
    }
  }

  function renderModels(index) {
    const body = byId('models').tBodies[0];
    body.replaceChildren();
    const ready = new Set(index.filter((m) => m.state === 'READY').map((m) => m.name));
    const seen = new Set();
    for (const model of index) {
      const row = body.insertRow();
      row.dataset.model = model.name;
      const name = element('button', model.name, 'model-link');
      name.type = 'button';
      name.addEventListener('click', () => selectModel(model.name));
      row.insertCell().append(name);
      row.insertCell().textContent = model.version || '';
      row.insertCell().append(element('span', model.state || '', 'state-' + (model.state || 'UNKNOWN')));
      row.insertCell().textContent = model.reason || '';
      const actions = row.insertCell();
      if (!seen.has(model.name)) {
        seen.add(model.name);
        const labels = ready.has(model.name) ? ['Reload', 'Unload'] : ['Load'];
        for (const label of labels) {
          const button = element('button', label);
          button.type = 'button';
          button.dataset.action = label.toLowerCase();
          button.addEventListener('click', () => control(label.toLowerCase(), model.name));
          actions.append(button);
        }
      }
    }
  }

  /** Loads, reloads (a load of a loaded model) or unloads a model, then shows the index again. */
  async function control(action, name) {
    const status = byId('models-status');
    showStatus(status, action + ' ' + name + '...');
    const endpoint = action === 'unload' ? 'unload' : 'load';
    try {
      await call('POST', '/v2/repository/models/' + encodeURIComponent(name) + '/' + endpoint, '{}');
      await refreshModels();
      showStatus(status, action + ' ' + name + ': done');
    } catch (e) {
      await refreshModels();
      showStatus(status, e.message, true);
    }
  }

  // ---- a model's metadata, config and try-it form ------------------------------------

  async function selectModel(name) {
    const selection = ++selections;
    byId('model-section').hidden = false;
    byId('model-name').textContent = name;
    byId('result').tBodies[0].replaceChildren();
    showStatus(byId('run-status'), '');
    const [metadata, config] = await Promise.allSettled([call('GET', modelPath(name)), call('GET', modelPath(name) + '/config')]);
    if (selection !== selections) {
      return; // another model was chosen while these were on their way
    }
    byId('metadata').textContent = metadata.status === 'fulfilled' ? JSON.stringify(metadata.value, null, 2) : metadata.reason.message;
    byId('config').textContent = config.status === 'fulfilled' ? JSON.stringify(config.value, null, 2) : config.reason.message;
    if (metadata.status !== 'fulfilled') {
      selected = null;
      byId('request').value = '';
      setUpImageInput([]);
      setUpTextInput(null);
      showStatus(byId('run-status'), 'model ' + name + ' has no metadata to build a request from: ' + metadata.reason.message, true);
      return;
    }
    selected = { name, metadata: metadata.value };
    const text = textTarget(metadata.value);
    byId('request').value = formatRequest(text !== null && text.tokenized
      ? textRequest(text.name, '')
      : templateRequest(metadata.value.inputs));
    setUpImageInput(metadata.value.inputs);
    setUpTextInput(text);
  }

  /** A request with every input at its shape (a variable dimension as 1) and zeros, false or "" as data. */
  function templateRequest(inputs) {
    return {
      inputs: inputs.map((input) => {
        const shape = input.shape.map((d) => (d < 0 ? 1 : d));
        const count = shape.reduce((a, b) => a * b, 1);
        const zero = input.datatype === 'BYTES' ? '' : input.datatype === 'BOOL' ? false : 0;
        return { name: input.name, datatype: input.datatype, shape, data: new Array(count).fill(zero) };
      }),
    };
  }

  /** Replaces the named input's shape and data in the request text box, keeping the rest as the user left it. */
  function replaceInput(name, shape, data) {
    let request;
    try {
      request = JSON.parse(byId('request').value);
    } catch (e) {
      request = templateRequest(selected.metadata.inputs);
    }
    if (!Array.isArray(request.inputs)) {
      request.inputs = [];
    }
    let input = request.inputs.find((i) => i.name === name);
    if (input === undefined) {
      input = templateRequest(selected.metadata.inputs.filter((i) => i.name === name)).inputs[0];
      request.inputs.push(input);
    }
    input.shape = shape;
    input.data = data;
    byId('request').value = formatRequest(request);
  }

  /** A request as JSON with one line per input tensor, since pretty-printing would give each element a line. */
  function formatRequest(request) {
    const fields = Object.entries(request).map(([key, value]) => {
      const text = key === 'inputs'
        ? '[\n' + value.map((input) => '    ' + JSON.stringify(input)).join(',\n') + '\n  ]'
        : JSON.stringify(value);
      return '  ' + JSON.stringify(key) + ': ' + text;
    });
    return '{\n' + fields.join(',\n') + '\n}';
  }

  /**
   * An image input: FP32 of rank 4, channels first or last with 1 or 3 channels and a known height
   * and width. Returns { input, channelsFirst, channels, height, width } or null.
   */
  function imageLayout(inputs) {
    for (const input of inputs) {
      const s = input.shape;
      if (input.datatype !== 'FP32' || s.length !== 4) {
        continue;
      }
      if ((s[1] === 1 || s[1] === 3) && s[2] > 1 && s[3] > 1) {
        return { input, channelsFirst: true, channels: s[1], height: s[2], width: s[3] };
      }
      if ((s[3] === 1 || s[3] === 3) && s[1] > 1 && s[2] > 1) {
        return { input, channelsFirst: false, channels: s[3], height: s[1], width: s[2] };
      }
    }
    return null;
  }

  function setUpImageInput(inputs) {
    const layout = imageLayout(inputs);
    byId('image-input').hidden = layout === null;
    byId('image-file').value = '';
    if (layout !== null) {
      byId('image-target').textContent = layout.input.name + ' ' + JSON.stringify(layout.input.shape);
      byId('image-file').onchange = (event) => readImage(event.target.files[0], layout);
    }
  }

  /** Draws the chosen file scaled to the input's height and width and writes its pixels into the request. */
  async function readImage(file, layout) {
    if (!file) {
      return;
    }
    try {
      const bitmap = await createImageBitmap(file);
      const canvas = byId('image-preview');
      canvas.width = layout.width;
      canvas.height = layout.height;
      const context = canvas.getContext('2d', { willReadFrequently: true });
      context.drawImage(bitmap, 0, 0, layout.width, layout.height);
      const pixels = context.getImageData(0, 0, layout.width, layout.height).data;
      const data = imageTensor(pixels, layout);
      const shape = layout.channelsFirst
        ? [1, layout.channels, layout.height, layout.width]
        : [1, layout.height, layout.width, layout.channels];
      replaceInput(layout.input.name, shape, data);
      showStatus(byId('run-status'), 'image ' + file.name + ' scaled to ' + layout.width + 'x' + layout.height);
    } catch (e) {
      showStatus(byId('run-status'), 'cannot read image ' + file.name + ': ' + e.message, true);
    }
  }

  /** RGBA bytes as floats in [0, 1] in the input's layout; one channel is the mean of red, green and blue. */
  function imageTensor(rgba, layout) {
    const area = layout.height * layout.width;
    const data = new Array(area * layout.channels);
    for (let p = 0; p < area; p++) {
      for (let c = 0; c < layout.channels; c++) {
        const value = layout.channels === 1
          ? (rgba[4 * p] + rgba[4 * p + 1] + rgba[4 * p + 2]) / (3 * 255)
          : rgba[4 * p + c] / 255;
        data[layout.channelsFirst ? c * area + p : p * layout.channels + c] = value;
      }
    }
    return data;
  }

  /**
   * What the text box fills: for a text model (its metadata names a text input, which the server
   * tokenizes) that input alone, else a model's first BYTES input; null when there is neither.
   */
  function textTarget(metadata) {
    const parameters = metadata.parameters || {};
    if (parameters.text_input) {
      return { name: parameters.text_input, tokenized: true, maxTokens: parameters.max_tokens };
    }
    const bytes = (metadata.inputs || []).find((input) => input.datatype === 'BYTES');
    return bytes === undefined ? null : { name: bytes.name, tokenized: false, shape: bytes.shape };
  }

  /** A request that sends one text to a text model, which the server turns into the model's token inputs. */
  function textRequest(name, text) {
    return { inputs: [{ name, datatype: 'BYTES', shape: [1], data: [text] }] };
  }

  function setUpTextInput(target) {
    byId('text-input').hidden = target === null;
    byId('text').value = '';
    if (target === null) {
      return;
    }
    const text = byId('text');
    if (target.tokenized) {
      byId('text-target').textContent = target.name + ' (BYTES)';
      byId('text-hint').textContent = 'The server tokenizes this text with the model\'s tokenizer.json into its'
        + ' token inputs: at most ' + target.maxTokens + ' tokens, and a longer text is refused, not cut.';
      text.oninput = () => { byId('request').value = formatRequest(textRequest(target.name, text.value)); };
    } else {
      byId('text-target').textContent = target.name + ' ' + JSON.stringify(target.shape);
      byId('text-hint').textContent = 'Sent as one BYTES element: the model takes strings itself.';
      text.oninput = () => replaceInput(target.name, target.shape.map(() => 1), [text.value]);
    }
  }

  async function run(event) {
    event.preventDefault();
    if (selected === null) {
      return;
    }
    const status = byId('run-status');
    const body = byId('request').value;
    try {
      JSON.parse(body);
    } catch (e) {
      showStatus(status, 'the request is not valid JSON: ' + e.message, true);
      return;
    }
    showStatus(status, 'running...');
    const started = performance.now();
    try {
      const answer = await call('POST', modelPath(selected.name) + '/infer', body);
      renderOutputs(answer.outputs);
      showStatus(status, 'version ' + answer.model_version + ' answered in ' + (performance.now() - started).toFixed(1) + ' ms');
    } catch (e) {
      byId('result').tBodies[0].replaceChildren();
      showStatus(status, e.message, true);
    }
  }

  function renderOutputs(outputs) {
    const body = byId('result').tBodies[0];
    body.replaceChildren();
    for (const output of outputs) {
      const row = body.insertRow();
      row.dataset.output = output.name;
      row.insertCell().textContent = output.name;
      row.insertCell().textContent = output.datatype;
      row.insertCell().textContent = JSON.stringify(output.shape);
      const values = output.data.slice(0, SHOWN_VALUES).join(', ') + (output.data.length > SHOWN_VALUES ? ', ...' : '');
      row.insertCell().append(element('span', values, 'values'));
      if (output.data.length > 1 && typeof output.data[0] === 'number') {
        const top = output.data.reduce((best, v, i) => (v > output.data[best] ? i : best), 0);
        row.cells[3].append(element('div', 'largest at index ' + top, 'hint'));
        row.cells[3].append(vectorNorm(output));
      }
    }
  }

  /**
   * The Euclidean norm of the output's first vector along its last axis: an embedding's length, or
   * for a sequence of them the first token's (the norm itself in data-norm).
   */
  function vectorNorm(output) {
    const size = output.shape.length > 0 ? Number(output.shape[output.shape.length - 1]) : output.data.length;
    const norm = Math.sqrt(output.data.slice(0, size).reduce((sum, v) => sum + v * v, 0));
    const shown = element('div', 'first vector (' + size + ' values along the last axis): norm '
      + norm.toPrecision(6), 'hint norm');
    shown.dataset.norm = String(norm);
    return shown;
  }

  // ---- live charts from the statistics endpoint -------------------------------------

  const history = { rate: [], latency: [] };
  let previous = null; // { at, count, ns } summed over every model's successful requests

  async function pollStatistics() {
    try {
      const stats = await call('GET', '/v2/models/stats');
      const now = { at: performance.now(), count: 0, ns: 0 };
      for (const model of stats.model_stats) {
        now.count += Number(model.inference_stats.success.count);
        now.ns += Number(model.inference_stats.success.ns);
      }
      if (previous !== null && now.count >= previous.count) {
        const requests = now.count - previous.count;
        const seconds = (now.at - previous.at) / 1000;
        push(history.rate, requests / seconds);
        push(history.latency, requests > 0 ? (now.ns - previous.ns) / requests / 1e6 : null);
        drawChart(byId('rate-chart'), history.rate, byId('rate-now'), 1);
        drawChart(byId('latency-chart'), history.latency, byId('latency-now'), 2);
      }
      previous = now;
      showStatus(byId('traffic-status'), '');
    } catch (e) {
      showStatus(byId('traffic-status'), e.message, true);
    }
  }

  function push(series, value) {
    series.push(value);
    if (series.length > CHART_POINTS) {
      series.shift();
    }
  }

  /**
   * A line chart of the series (null is a gap: no request in that period), newest point at the right
   * edge, each point marked; its scale at the top left, the latest value beside the caption and the
   * series itself in the canvas's data-series attribute.
   */
  function drawChart(canvas, series, label, digits) {
    const context = canvas.getContext('2d');
    const width = canvas.width;
    const height = canvas.height;
    const top = 14;
    const known = series.filter((v) => v !== null);
    const max = Math.max(1e-9, ...known) * 1.1;
    context.clearRect(0, 0, width, height);
    context.strokeStyle = '#d5dbe2';
    context.fillStyle = '#5d6875';
    context.font = '11px sans-serif';
    context.beginPath();
    context.moveTo(0, height - 0.5);
    context.lineTo(width, height - 0.5);
    context.moveTo(0, top + 0.5);
    context.lineTo(width, top + 0.5);
    context.stroke();
    context.fillText(max.toFixed(digits), 4, top - 3);
    context.strokeStyle = '#1f6fd1';
    context.fillStyle = '#1f6fd1';
    context.lineWidth = 2;
    const step = (width - 8) / (CHART_POINTS - 1);
    const points = series.map((value, i) => (value === null ? null
      : { x: width - 4 - (series.length - 1 - i) * step, y: height - (value / max) * (height - top) }));
    context.beginPath();
    points.forEach((point, i) => {
      if (point === null) {
        return;
      }
      if (i > 0 && points[i - 1] !== null) {
        context.lineTo(point.x, point.y);
      } else {
        context.moveTo(point.x, point.y);
      }
    });
    context.stroke();
    for (const point of points.filter((p) => p !== null)) {
      context.fillRect(point.x - 2, point.y - 2, 4, 4);
    }
    const last = series[series.length - 1];
    label.textContent = last === null ? 'idle' : last.toFixed(digits);
    canvas.dataset.series = JSON.stringify(series); // what the chart shows, for tests and tools that read the page
  }

  // ---- start ----------------------------------------------------------------------------

  async function showServer() {
    try {
      const server = await call('GET', '/v2');
      byId('server-info').textContent = server.name + ' ' + server.version;
    } catch (e) {
      byId('server-info').textContent = e.message;
    }
  }

  function start() {
    const token = byId('token');
    token.value = sessionStorage.getItem(TOKEN_KEY) || '';
    token.addEventListener('change', () => {
      if (token.value) {
        sessionStorage.setItem(TOKEN_KEY, token.value);
      } else {
        sessionStorage.removeItem(TOKEN_KEY);
      }
      showServer();
      refreshModels();
    });
    byId('refresh').addEventListener('click', refreshModels);
    byId('try-form').addEventListener('submit', run);
    showServer();
    refreshModels();
    pollStatistics();
    setInterval(pollStatistics, STATS_PERIOD_MS);
  }

  start();
})();

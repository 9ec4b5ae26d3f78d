/*
 * TokenScope console dashboard. Plain JavaScript, no build step; charts by ECharts (served from
 * its WebJar by the console). Every value that comes from telemetry is inserted with textContent
 * (via el()), never as markup: prompts and completions can contain anything.
 */
(function () {
  'use strict';

  var PALETTE = ['#4f46e5', '#0ea5e9', '#10b981', '#f59e0b', '#ef4444', '#8b5cf6', '#14b8a6',
    '#f97316', '#ec4899', '#64748b', '#84cc16', '#06b6d4'];
  var RANGES = { '15m': 9e5, '1h': 36e5, '6h': 216e5, '24h': 864e5, '7d': 6048e5, '30d': 2592e6 };
  var CONTENT_KEYS = ['gen_ai.system_instructions', 'gen_ai.input.messages', 'gen_ai.output.messages',
    'gen_ai.prompt', 'gen_ai.completion'];

  var charts = [];
  var refreshTimer = null;
  var state = readState();

  // ---- DOM helpers --------------------------------------------------------------------------

  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === null || v === undefined || v === false) return;
        if (k === 'class') node.className = v;
        else if (k === 'text') node.textContent = String(v);
        else if (k.indexOf('on') === 0) node.addEventListener(k.substring(2), v);
        else node.setAttribute(k, v === true ? '' : String(v));
      });
    }
    for (var i = 2; i < arguments.length; i++) appendOne(node, arguments[i]);
    return node;
  }

  function append(node) {
    for (var i = 1; i < arguments.length; i++) appendOne(node, arguments[i]);
  }

  function appendOne(node, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) { child.forEach(function (c) { appendOne(node, c); }); return; }
    node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  // ---- formatting ---------------------------------------------------------------------------

  function usd(v) {
    if (v === null || v === undefined) return '—';
    var a = Math.abs(v);
    if (a === 0) return '$0.00';
    if (a < 1) return '$' + v.toFixed(4);
    if (a < 1000) return '$' + v.toFixed(2);
    return '$' + v.toLocaleString('en-US', { maximumFractionDigits: 0 });
  }
  function num(v) {
    if (v === null || v === undefined) return '—';
    var a = Math.abs(v);
    if (a >= 1e9) return (v / 1e9).toFixed(2) + 'B';
    if (a >= 1e6) return (v / 1e6).toFixed(2) + 'M';
    if (a >= 1e4) return (v / 1e3).toFixed(1) + 'k';
    return Math.round(v).toLocaleString('en-US');
  }
  function pct(v) { return v === null || v === undefined ? '—' : (v * 100).toFixed(1) + '%'; }
  function ms(v) {
    if (v === null || v === undefined) return '—';
    if (v >= 60000) return (v / 60000).toFixed(1) + ' min';
    if (v >= 1000) return (v / 1000).toFixed(2) + ' s';
    return (v < 10 ? v.toFixed(2) : Math.round(v)) + ' ms';
  }
  function time(t) {
    var d = new Date(t);
    return d.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  }
  function label(v, fallback) { return v === null || v === undefined || v === '' ? (fallback || '(none)') : v; }

  // ---- state in the URL -----------------------------------------------------------------------

  function readState() {
    var p = new URLSearchParams(location.search);
    return {
      range: p.get('range') || (p.get('from') ? 'custom' : '24h'),
      from: p.get('from') ? Number(p.get('from')) : null,
      to: p.get('to') ? Number(p.get('to')) : null,
      service: p.get('service') || '',
      workflow: p.get('workflow') || '',
      model: p.get('model') || '',
      refresh: Number(p.get('refresh') || 0)
    };
  }

  function timeRange() {
    if (state.range === 'custom' && state.from !== null) {
      return { from: state.from, to: state.to !== null ? state.to : Date.now() };
    }
    var to = Date.now() + 1;
    return { from: to - (RANGES[state.range] || RANGES['24h']), to: to };
  }

  function query(extra) {
    var r = timeRange();
    var p = new URLSearchParams();
    p.set('from', r.from); p.set('to', r.to);
    if (state.service) p.set('service', state.service);
    if (state.workflow) p.set('workflow', state.workflow);
    if (state.model) p.set('model', state.model);
    Object.keys(extra || {}).forEach(function (k) { if (extra[k] !== '' && extra[k] !== null && extra[k] !== undefined) p.set(k, extra[k]); });
    return p.toString();
  }

  function pageQuery() {
    var p = new URLSearchParams();
    if (state.range === 'custom') { p.set('from', state.from); if (state.to !== null) p.set('to', state.to); }
    else if (state.range !== '24h') p.set('range', state.range);
    ['service', 'workflow', 'model'].forEach(function (k) { if (state[k]) p.set(k, state[k]); });
    if (state.refresh) p.set('refresh', state.refresh);
    var s = p.toString();
    return s ? '?' + s : '';
  }

  function api(path, extra) {
    return fetch('/api/v1/' + path + '?' + query(extra), { credentials: 'same-origin' }).then(function (r) {
      if (r.status === 401) { location.href = '/login'; throw new Error('login required'); }
      return r.json().then(function (body) {
        if (!r.ok) throw new Error(body && body.error ? body.error : 'HTTP ' + r.status);
        return body;
      });
    });
  }

  function setStatus(text, isError) {
    var line = document.getElementById('status-line');
    clear(line);
    append(line, el('span', { class: isError ? 'error' : '' , text: text }));
  }

  // ---- charts ---------------------------------------------------------------------------------

  function chart(container, option) {
    var instance = echarts.init(container, null, { renderer: 'canvas' });
    option.color = option.color || PALETTE;
    option.animation = false;
    option.textStyle = { fontFamily: 'Inter, Segoe UI, system-ui, sans-serif' };
    option.aria = { enabled: true };
    instance.setOption(option);
    charts.push(instance);
    return instance;
  }

  function disposeCharts() {
    charts.forEach(function (c) { c.dispose(); });
    charts = [];
  }

  window.addEventListener('resize', function () { charts.forEach(function (c) { c.resize(); }); });

  function card(id, title, sub, span, body) {
    return el('section', { class: 'card ' + span, id: id, 'data-panel': id },
      el('h3', { text: title }), sub ? el('div', { class: 'sub', text: sub }) : null, body);
  }

  function chartBox(tall) { return el('div', { class: 'chart' + (tall ? ' tall' : '') }); }

  function emptyNote(box, text) {
    clear(box);
    box.classList.remove('chart');
    append(box, el('div', { class: 'empty', text: text || 'No LLM calls in this range.' }));
  }

  var GRID = { left: 8, right: 16, top: 30, bottom: 8, containLabel: true };
  var AXIS_LABEL = { color: '#64748b', fontSize: 11 };

  function categoryBar(box, names, series, opts) {
    opts = opts || {};
    var horizontal = !!opts.horizontal;
    var cat = { type: 'category', data: names, axisLabel: Object.assign({ interval: 0, width: 120, overflow: 'truncate' }, AXIS_LABEL), axisTick: { show: false } };
    if (!horizontal) cat.axisLabel.rotate = names.length > 4 ? 25 : 0;
    // hideOverlap: in a narrow panel the value axis's dollar labels would otherwise run together.
    var val = { type: 'value', axisLabel: Object.assign({ formatter: opts.axisFormat, hideOverlap: true }, AXIS_LABEL), splitLine: { lineStyle: { color: '#eef2f7' } } };
    return chart(box, {
      grid: horizontal && opts.labels ? Object.assign({}, GRID, { right: 64 }) : GRID,
      legend: series.length > 1 ? { top: 0, right: 0, itemWidth: 10, itemHeight: 10, textStyle: { fontSize: 11 } } : undefined,
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: opts.format },
      xAxis: horizontal ? val : cat,
      yAxis: horizontal ? Object.assign(cat, { inverse: true }) : val,
      series: series.map(function (s) {
        return Object.assign({ type: 'bar', barMaxWidth: 34, emphasis: { focus: 'series' },
          label: opts.labels ? { show: true, position: horizontal ? 'right' : 'top', fontSize: 11, color: '#334155', formatter: function (p) { return opts.format(p.value); } } : undefined }, s);
      })
    });
  }

  // ---- dashboard --------------------------------------------------------------------------------

  function renderDashboard(view) {
    var kpis = el('div', { class: 'kpis', id: 'kpis' });
    var grid = el('div', { class: 'grid' });
    var boxes = {};
    function panel(id, title, sub, span, tall) {
      boxes[id] = chartBox(tall);
      append(grid, card(id, title, sub, span, boxes[id]));
    }
    var spikeBox = chartBox(false);
    var spikeText = el('div', { class: 'spike-text', id: 'spike-text' });
    var money = el('div', { class: 'grid' });
    var moneyBoxes = {};
    function moneyPanel(id, title, sub, span) {
      moneyBoxes[id] = el('div', { class: 'chart' });
      append(money, card(id, title, sub, span, moneyBoxes[id]));
    }
    var tables = el('div', { class: 'grid' });
    var tableBoxes = {};
    function tablePanel(id, title, sub, span) {
      tableBoxes[id] = el('div', {});
      append(tables, card(id, title, sub, span, tableBoxes[id]));
    }

    append(view,
      kpis,
      el('h2', { class: 'section', text: 'Day over day' }),
      el('div', { class: 'grid' }, card('panel-day-over-day', 'Daily cost — where the spike came from', 'The day whose cost rose most over the day before, and what drove the rise', 'span-12',
        el('div', { class: 'spike' }, spikeBox, spikeText))),
      el('h2', { class: 'section', text: 'Where the money went' }),
      money,
      el('h2', { class: 'section', text: 'Models' }),
      grid,
      el('h2', { class: 'section', text: 'Traces, retries, cache and pricing gaps' }),
      tables);

    panel('panel-cost-by-model', 'Cost distribution by model', 'Share of total cost', 'span-4');
    panel('panel-cost-per-call', 'Cost per call by model', 'Cost ÷ priced calls', 'span-4');
    panel('panel-error-rate', 'Error rate by model', 'Failed calls ÷ all calls', 'span-4');
    panel('panel-cost-over-time', 'Cost over time by model', null, 'span-8', true);
    panel('panel-total-tokens', 'Total tokens by model', 'Input + output', 'span-4', true);
    panel('panel-token-usage', 'Token usage by model', 'Input and output, stacked', 'span-4');
    panel('panel-io-per-call', 'Input vs output tokens per call', 'Average per call; ratio = input ÷ output', 'span-4');
    panel('panel-latency', 'Latency by model', 'Average and p95', 'span-4');

    moneyPanel('panel-cost-by-workflow', 'Cost by workflow', null, 'span-4');
    moneyPanel('panel-cost-by-endpoint', 'Cost by endpoint', 'Root span of the trace', 'span-4');
    moneyPanel('panel-cost-by-service', 'Cost by service', null, 'span-4');

    tablePanel('panel-expensive-traces', 'Most expensive traces', null, 'span-6');
    tablePanel('panel-retries', 'What retries and refinement loops cost', 'Units with tokenscope.attempt; attempts after the first are the retry cost', 'span-6');
    tablePanel('panel-cache', 'Cache savings by model', 'Cached tokens at the uncached rate, minus what they cost', 'span-6');
    tablePanel('panel-unpriced', 'Unpriced calls', 'Models the pricing catalog does not know: never counted as $0', 'span-6');

    var tz = -new Date().getTimezoneOffset();
    // The summary, the breakdowns by model, workflow and service and the unpriced calls come from
    // one request (one query over the calls); the rest each from their own.
    return Promise.all([
      api('overview'), api('endpoints'), api('timeseries', { metric: 'cost', group_by: 'model' }),
      api('traces', { sort: 'cost', limit: 8 }), api('retries'), api('day-over-day', { tz_offset_minutes: tz })
    ]).then(function (a) {
      var o = a[0];
      var r = [o.summary, o.models, o.workflows, a[1], o.services, a[2], a[3], a[4], o.unpriced, a[5]];
      var summary = r[0], models = r[1];
      // Each call counts under its nearest retried unit only, so the units' rows add up to the
      // totals; this spares the summary a second recursive query.
      summary.retry_cost_usd = 0; summary.retry_llm_calls = 0; summary.retried_units = 0;
      r[7].forEach(function (u) {
        summary.retry_cost_usd += u.retry_cost_usd;
        summary.retry_llm_calls += u.retry_llm_calls;
        summary.retried_units += u.retries;
      });
      renderKpis(kpis, summary);
      renderModelPanels(boxes, models, r[5]);
      renderBreakdown(moneyBoxes['panel-cost-by-workflow'], r[2], 'workflow');
      renderBreakdown(moneyBoxes['panel-cost-by-endpoint'], r[3], 'endpoint');
      renderBreakdown(moneyBoxes['panel-cost-by-service'], r[4], 'service');
      renderExpensiveTraces(tableBoxes['panel-expensive-traces'], r[6]);
      renderRetries(tableBoxes['panel-retries'], r[7], summary);
      renderCache(tableBoxes['panel-cache'], models, summary);
      renderUnpriced(tableBoxes['panel-unpriced'], r[8]);
      renderSpike(spikeBox, spikeText, r[9]);
      document.body.setAttribute('data-loaded', String(Date.now()));
    });
  }

  function kpi(id, labelText, value, hint, cls) {
    return el('div', { class: 'kpi ' + (cls || ''), id: id },
      el('div', { class: 'label', text: labelText }),
      el('div', { class: 'value', text: value }),
      hint ? el('div', { class: 'hint', text: hint }) : null);
  }

  function renderKpis(box, s) {
    clear(box);
    append(box,
      kpi('kpi-cost', 'Total cost', usd(s.cost_usd), s.priced_calls + ' priced calls', 'primary'),
      kpi('kpi-calls', 'LLM calls', num(s.calls), s.traces_with_llm_calls + ' traces'),
      kpi('kpi-cost-per-call', 'Cost per call', usd(s.avg_cost_usd), 'cost ÷ priced calls'),
      kpi('kpi-tokens', 'Tokens', num(s.total_tokens), num(s.input_tokens) + ' in · ' + num(s.output_tokens) + ' out'),
      kpi('kpi-error-rate', 'Error rate', pct(s.error_rate), s.errors + ' failed calls', s.error_rate > 0.05 ? 'bad' : ''),
      kpi('kpi-p95', 'p95 latency', ms(s.p95_latency_ms), 'avg ' + ms(s.avg_latency_ms)),
      kpi('kpi-cache-savings', 'Cache savings', usd(s.cache_savings_usd), num(s.cache_read_tokens) + ' cached tokens', s.cache_savings_usd > 0 ? 'good' : ''),
      kpi('kpi-retry-cost', 'Retry cost', usd(s.retry_cost_usd), s.retried_units + ' retried units'),
      kpi('kpi-unpriced', 'Unpriced calls', num(s.unpriced_calls), 'no price in the catalog', s.unpriced_calls > 0 ? 'bad' : ''));
  }

  function renderModelPanels(boxes, models, series) {
    if (!models.length) {
      Object.keys(boxes).forEach(function (k) { emptyNote(boxes[k]); });
      return;
    }
    var names = models.map(function (m) { return label(m.model, '(unknown model)'); });
    chart(boxes['panel-cost-by-model'], {
      tooltip: { trigger: 'item', formatter: function (p) { return p.marker + ' ' + echarts.format.encodeHTML(p.name) + '<br>' + usd(p.value) + ' (' + p.percent + '%)'; } },
      legend: { type: 'scroll', orient: 'vertical', right: 0, top: 'middle', textStyle: { fontSize: 11 }, formatter: function (n) { return n.length > 22 ? n.slice(0, 21) + '…' : n; } },
      series: [{ type: 'pie', radius: ['45%', '72%'], center: ['35%', '50%'], avoidLabelOverlap: true,
        label: { show: false }, itemStyle: { borderColor: '#fff', borderWidth: 2 },
        data: models.map(function (m, i) { return { name: names[i], value: m.cost_usd }; }) }]
    });
    var perCall = models.filter(function (m) { return m.avg_cost_usd !== null; });
    if (perCall.length) {
      categoryBar(boxes['panel-cost-per-call'], perCall.map(function (m) { return label(m.model); }),
        [{ name: 'Cost per call', data: perCall.map(function (m) { return m.avg_cost_usd; }) }], { format: usd, axisFormat: function (v) { return usd(v); }, labels: true });
    } else emptyNote(boxes['panel-cost-per-call'], 'No priced calls.');
    categoryBar(boxes['panel-error-rate'], names,
      [{ name: 'Error rate', data: models.map(function (m) { return m.error_rate; }), itemStyle: { color: '#ef4444' } }],
      { format: pct, axisFormat: function (v) { return (v * 100).toFixed(0) + '%'; }, labels: true });
    categoryBar(boxes['panel-token-usage'], names, [
      { name: 'Input', stack: 'tokens', data: models.map(function (m) { return m.input_tokens; }) },
      { name: 'Output', stack: 'tokens', data: models.map(function (m) { return m.output_tokens; }) }
    ], { format: num, axisFormat: num });
    categoryBar(boxes['panel-io-per-call'], names, [
      { name: 'Input / call', data: models.map(function (m) { return m.avg_input_tokens; }) },
      { name: 'Output / call', data: models.map(function (m) { return m.avg_output_tokens; }),
        label: { show: true, position: 'top', fontSize: 10, color: '#334155', formatter: function (p) {
          var ratio = models[p.dataIndex].input_output_ratio;
          return ratio === null ? '' : ratio.toFixed(1) + '∶1'; } } }
    ], { format: num, axisFormat: num });
    categoryBar(boxes['panel-total-tokens'], names,
      [{ name: 'Total tokens', data: models.map(function (m) { return m.total_tokens; }), itemStyle: { color: '#0ea5e9' } }],
      { format: num, axisFormat: num, horizontal: true, labels: true });
    categoryBar(boxes['panel-latency'], names, [
      { name: 'Average', data: models.map(function (m) { return m.avg_latency_ms; }) },
      { name: 'p95', data: models.map(function (m) { return m.p95_latency_ms; }), itemStyle: { color: '#f59e0b' } }
    ], { format: ms, axisFormat: function (v) { return ms(v); } });
    var box = boxes['panel-cost-over-time'];
    if (!series.series.length) { emptyNote(box); return; }
    var step = series.step;
    chart(box, {
      grid: { left: 8, right: 16, top: 34, bottom: 8, containLabel: true },
      legend: { type: 'scroll', top: 0, textStyle: { fontSize: 11 } },
      tooltip: { trigger: 'axis', valueFormatter: usd },
      xAxis: { type: 'time', axisLabel: AXIS_LABEL, min: series.from, max: series.to },
      yAxis: { type: 'value', axisLabel: Object.assign({ formatter: function (v) { return usd(v); } }, AXIS_LABEL), splitLine: { lineStyle: { color: '#eef2f7' } } },
      series: series.series.map(function (s) {
        return { name: s.name, type: 'bar', stack: 'cost', barCategoryGap: '10%', emphasis: { focus: 'series' },
          data: s.values.map(function (v, i) { return [series.timestamps[i] + step / 2, v]; }) };
      })
    });
  }

  function renderBreakdown(box, rows, key) {
    if (!rows.length) { emptyNote(box); return; }
    rows = rows.slice(0, 10);
    categoryBar(box, rows.map(function (r) { return label(r[key], key === 'workflow' ? '(no workflow)' : '(unknown)'); }),
      [{ name: 'Cost', data: rows.map(function (r) { return r.cost_usd; }) }],
      { format: usd, axisFormat: function (v) { return usd(v); }, horizontal: true, labels: true });
  }

  function table(headers, rows, id) {
    var head = el('tr', {}, headers.map(function (h) {
      return el('th', { class: (h.num ? 'num ' : '') + (h.sortKey ? 'sortable' : '') + (h.sorted ? ' sorted' : ''), text: h.label + (h.sorted ? (h.desc ? ' ↓' : ' ↑') : ''), onclick: h.onclick });
    }));
    return el('table', { class: 'data', id: id }, el('thead', {}, head), el('tbody', {}, rows));
  }

  function traceLink(row) {
    return function () { navigate('/trace/' + row.trace_id); };
  }

  function renderExpensiveTraces(box, traces) {
    if (!traces.length) { emptyNote(box, 'No traces in this range.'); return; }
    append(box, table([{ label: 'Trace' }, { label: 'Service' }, { label: 'LLM calls', num: true }, { label: 'Duration', num: true }, { label: 'Cost', num: true }],
      traces.map(function (t) {
        return el('tr', { class: 'clickable', onclick: traceLink(t), 'data-trace': t.trace_id },
          el('td', {}, el('a', { href: '/trace/' + t.trace_id, 'data-link': true, text: label(t.root_name) }), t.error ? el('span', { class: 'badge err', text: 'error' }) : null),
          el('td', { text: t.service }), el('td', { class: 'num', text: t.llm_calls }),
          el('td', { class: 'num', text: ms(t.duration_ms) }), el('td', { class: 'num', text: usd(t.cost_usd) }));
      }), 'expensive-traces'));
  }

  function renderRetries(box, rows, summary) {
    if (!rows.length) { emptyNote(box, 'No retried or iterated units (tokenscope.attempt) in this range.'); return; }
    append(box, el('div', { class: 'sub', id: 'retry-total', text: 'Retries cost ' + usd(summary.retry_cost_usd) + ' of ' + usd(summary.cost_usd) + ' (' + summary.retry_llm_calls + ' LLM calls in ' + summary.retried_units + ' retried units)' }));
    append(box, table([{ label: 'Unit' }, { label: 'Max attempt', num: true }, { label: 'Retries', num: true }, { label: 'Loop cost', num: true }, { label: 'Retry cost', num: true }],
      rows.map(function (r) {
        return el('tr', {}, el('td', { text: r.unit }), el('td', { class: 'num', text: r.max_attempt }),
          el('td', { class: 'num', text: r.retries }), el('td', { class: 'num', text: usd(r.loop_cost_usd) }),
          el('td', { class: 'num', text: usd(r.retry_cost_usd) }));
      }), 'retries-table'));
  }

  function renderCache(box, models, summary) {
    var rows = models.filter(function (m) { return m.cache_read_tokens > 0; });
    if (!rows.length) { emptyNote(box, 'No cached input tokens in this range.'); return; }
    append(box, el('div', { class: 'sub', text: 'Saved ' + usd(summary.cache_savings_usd) + ' on ' + num(summary.cache_read_tokens) + ' cached input tokens' }));
    append(box, table([{ label: 'Model' }, { label: 'Cached tokens', num: true }, { label: 'Share of input', num: true }, { label: 'Saved', num: true }],
      rows.map(function (m) {
        return el('tr', {}, el('td', { text: label(m.model) }), el('td', { class: 'num', text: num(m.cache_read_tokens) }),
          el('td', { class: 'num', text: pct(m.input_tokens ? m.cache_read_tokens / m.input_tokens : 0) }),
          el('td', { class: 'num', text: usd(m.cache_savings_usd) }));
      }), 'cache-table'));
  }

  function renderUnpriced(box, rows) {
    if (!rows.length) { emptyNote(box, 'Every LLM call in this range was priced.'); return; }
    append(box, table([{ label: 'Model' }, { label: 'Provider' }, { label: 'Calls', num: true }, { label: 'Tokens', num: true }, { label: 'Last seen', num: true }],
      rows.map(function (r) {
        return el('tr', {}, el('td', {}, el('span', { class: 'badge warn', text: 'unpriced' }), ' ', label(r.model, '(no model)')), el('td', { text: label(r.provider, '—') }),
          el('td', { class: 'num', text: r.calls }), el('td', { class: 'num', text: num(r.input_tokens + r.output_tokens) }),
          el('td', { class: 'num', text: time(r.last_seen) }));
      }), 'unpriced-table'));
  }

  function renderSpike(box, text, data) {
    var days = data.days;
    var spikeDay = data.spike ? data.spike.day : null;
    chart(box, {
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis', valueFormatter: usd },
      xAxis: { type: 'category', data: days.map(function (d) { return d.day; }), axisLabel: AXIS_LABEL, axisTick: { show: false } },
      yAxis: { type: 'value', axisLabel: Object.assign({ formatter: function (v) { return usd(v); } }, AXIS_LABEL), splitLine: { lineStyle: { color: '#eef2f7' } } },
      series: [{ name: 'Cost', type: 'bar', barMaxWidth: 40,
        data: days.map(function (d) { return { value: d.cost_usd, itemStyle: { color: d.day === spikeDay ? '#ef4444' : '#6366f1' } }; }) }]
    });
    clear(text);
    if (!data.spike) {
      append(text, el('div', { class: 'headline', text: 'No day-over-day rise in this range.' }),
        el('div', { text: 'Daily cost did not rise from one day to the next.' }));
      return;
    }
    var s = data.spike;
    append(text,
      el('div', { class: 'headline', id: 'spike-headline' }, 'Biggest rise: ' + s.day + ' — ', el('span', { class: 'delta', text: '+' + usd(s.delta_usd) }),
        ' (' + usd(s.previous_cost_usd) + ' → ' + usd(s.cost_usd) + ')'),
      el('div', { class: 'drivers' }, [['by_workflow', 'Workflows'], ['by_model', 'Models'], ['by_endpoint', 'Endpoints'], ['by_service', 'Services']].map(function (pair) {
        var rows = (s[pair[0]] || []).filter(function (r) { return r.delta_usd > 0; }).slice(0, 3);
        return el('div', { 'data-drivers': pair[0] }, el('h4', { text: pair[1] }),
          rows.length ? rows.map(function (r) {
            return el('div', { class: 'row' }, el('span', { text: label(r.key) }), el('span', { class: 'delta', text: '+' + usd(r.delta_usd) }));
          }) : el('div', { class: 'row', text: '—' }));
      })));
  }

  // ---- traces list ------------------------------------------------------------------------------

  var traceSort = { key: 'start', desc: true };

  function renderTraces(view) {
    var p = new URLSearchParams(location.search);
    var minCost = el('input', { type: 'number', step: '0.01', min: '0', id: 'min-cost', value: p.get('min_cost') || '' });
    var errorsOnly = el('input', { type: 'checkbox', id: 'errors-only' });
    errorsOnly.checked = p.get('errors_only') === 'true';
    var box = el('section', { class: 'card' });
    var apply = function () { load(); };
    minCost.addEventListener('change', apply);
    errorsOnly.addEventListener('change', apply);
    append(view, el('div', { class: 'toolbar' }, el('h1', { text: 'Traces' }),
      el('label', {}, 'Min cost $', minCost), el('label', {}, errorsOnly, 'Errors only')), box);

    function load() {
      return api('traces', { sort: traceSort.key, order: traceSort.desc ? 'desc' : 'asc', limit: 200, min_cost: minCost.value, errors_only: errorsOnly.checked ? 'true' : '' })
        .then(function (traces) {
          clear(box);
          if (!traces.length) { emptyNote(box, 'No traces match.'); return; }
          function header(labelText, key, isNum) {
            return { label: labelText, num: isNum, sortKey: key, sorted: key && traceSort.key === key, desc: traceSort.desc,
              onclick: key ? function () { if (traceSort.key === key) traceSort.desc = !traceSort.desc; else { traceSort.key = key; traceSort.desc = true; } load(); } : null };
          }
          append(box, table([header('Start', 'start'), header('Trace'), header('Service'), header('Workflow'), header('Duration', 'duration', true),
            header('LLM calls', null, true), header('Tokens', null, true), header('Cost', 'cost', true), header('')],
            traces.map(function (t) {
              return el('tr', { class: 'clickable', onclick: traceLink(t), 'data-trace': t.trace_id },
                el('td', { text: time(t.start) }),
                el('td', {}, el('a', { href: '/trace/' + t.trace_id, 'data-link': true, text: label(t.root_name) })),
                el('td', { text: t.service }), el('td', { text: label(t.workflow, '—') }),
                el('td', { class: 'num', text: ms(t.duration_ms) }), el('td', { class: 'num', text: t.llm_calls }),
                el('td', { class: 'num', text: num(t.tokens) }), el('td', { class: 'num', text: usd(t.cost_usd) }),
                el('td', {}, t.error ? el('span', { class: 'badge err', text: 'error' }) : null,
                  t.unpriced_calls ? el('span', { class: 'badge warn', text: 'unpriced' }) : null));
            }), 'traces-table'));
          document.body.setAttribute('data-loaded', String(Date.now()));
        });
    }
    return load();
  }

  // ---- one trace --------------------------------------------------------------------------------

  function renderTrace(view, traceId) {
    return fetch('/api/v1/traces/' + encodeURIComponent(traceId), { credentials: 'same-origin' }).then(function (r) {
      return r.json().then(function (body) {
        if (!r.ok) throw new Error(body.error || 'HTTP ' + r.status);
        return body;
      });
    }).then(function (trace) { drawTrace(view, trace); });
  }

  function drawTrace(view, trace) {
    var spans = trace.spans;
    var byId = {};
    spans.forEach(function (s) { byId[s.span_id] = s; s.children = []; });
    var roots = [];
    spans.forEach(function (s) {
      if (s.parent_span_id && byId[s.parent_span_id]) byId[s.parent_span_id].children.push(s);
      else roots.push(s);
    });
    var ordered = [];
    (function walk(list, depth) {
      list.sort(function (a, b) { return a.start - b.start; });
      list.forEach(function (s) { s.depth = depth; ordered.push(s); walk(s.children, depth + 1); });
    })(roots, 0);
    var t0 = Math.min.apply(null, spans.map(function (s) { return s.start; }));
    var t1 = Math.max.apply(null, spans.map(function (s) { return s.start + s.duration_ms; }));
    var total = Math.max(t1 - t0, 0.001);
    var cost = 0, calls = 0, tokens = 0, errors = 0;
    spans.forEach(function (s) {
      if (s.llm) { calls++; cost += s.cost_usd || 0; tokens += (s.input_tokens || 0) + (s.output_tokens || 0); }
      if (s.status === 'ERROR') errors++;
    });
    var root = ordered[0];
    append(view, el('div', { class: 'trace-head' },
      el('h1', { id: 'trace-title', text: label(root.name) }),
      el('span', { class: 'meta' }, 'Trace ', el('span', { class: 'mono', text: trace.trace_id })),
      el('span', { class: 'meta' }, 'Duration ', el('b', { text: ms(total) })),
      el('span', { class: 'meta' }, 'Spans ', el('b', { text: spans.length })),
      el('span', { class: 'meta' }, 'LLM calls ', el('b', { id: 'trace-llm-calls', text: calls })),
      el('span', { class: 'meta' }, 'Tokens ', el('b', { text: num(tokens) })),
      el('span', { class: 'meta' }, 'Cost ', el('b', { id: 'trace-cost', text: usd(cost) })),
      errors ? el('span', { class: 'badge err', text: errors + ' error' + (errors > 1 ? 's' : '') }) : null));

    var ticks = el('div', { class: 'ticks' });
    for (var i = 0; i <= 4; i++) {
      append(ticks, el('span', { style: 'left:' + (i * 25) + '%', text: ms(total * i / 4) }));
    }
    var waterfall = el('div', { class: 'waterfall', id: 'waterfall' }, el('div', { class: 'wf-axis' }, el('div', { text: 'Span' }), ticks));
    var side = el('aside', { class: 'card side', id: 'side-panel' });
    append(view, el('div', { class: 'trace-layout' }, el('section', { class: 'card' }, waterfall), side));

    var rows = [];
    ordered.forEach(function (s) {
      var left = (s.start - t0) / total * 100;
      var width = Math.max(s.duration_ms / total * 100, 0.2);
      var kind = s.status === 'ERROR' ? 'error' : s.llm && s.pricing_unavailable ? 'llm unpriced' : s.llm ? 'llm' : (s.attributes && s.attributes['traceloop.span.kind'] === 'workflow') ? 'workflow' : '';
      var text = ms(s.duration_ms);
      if (s.llm) {
        text = label(s.model, '?') + ' · ' + num(s.input_tokens) + '→' + num(s.output_tokens) + ' tok · ' +
          (s.cost_usd !== null && s.cost_usd !== undefined ? usd(s.cost_usd) : 'unpriced') + ' · ' + ms(s.duration_ms);
      }
      var track = el('div', { class: 'wf-track', 'data-left': left, 'data-width': width },
        el('div', { class: 'wf-bar ' + kind, style: 'left:' + left + '%;width:' + width + '%' }),
        el('div', { class: 'wf-label', title: text, text: text }));
      var row = el('div', { class: 'wf-row', 'data-span': s.span_id, 'data-depth': s.depth, 'data-llm': s.llm ? 'true' : 'false' },
        el('div', { class: 'wf-name', style: 'padding-left:' + (s.depth * 16 + 4) + 'px' },
          s.llm ? el('span', { class: 'badge llm', text: 'LLM' }) : null,
          s.attempt > 1 ? el('span', { class: 'badge warn', text: 'attempt ' + s.attempt }) : null,
          el('span', { class: 'label', text: s.name }), el('span', { class: 'svc', text: s.service })),
        track);
      row.addEventListener('click', function () {
        rows.forEach(function (r) { r.classList.remove('selected'); });
        row.classList.add('selected');
        showSpan(side, s);
      });
      rows.push(row);
      append(waterfall, row);
    });
    placeWaterfallLabels(waterfall);
    var firstLlm = ordered.filter(function (s) { return s.llm; })[0];
    var initial = firstLlm || root;
    rows[ordered.indexOf(initial)].classList.add('selected');
    showSpan(side, initial);
    document.body.setAttribute('data-loaded', String(Date.now()));
  }

  // A bar's label goes right of the bar when it fits there, else inside the bar (right-aligned,
  // white), else left of the bar; when it fits nowhere it takes the roomiest of the three, cut
  // with an ellipsis. It always stays inside the timeline track, never over the span names.
  // Placement depends on pixel widths, so it is redone when the window is resized.
  function placeWaterfallLabels(container) {
    Array.prototype.forEach.call(container.querySelectorAll('.wf-track'), function (track) {
      var label = track.querySelector('.wf-label');
      var left = Number(track.getAttribute('data-left'));
      var end = left + Number(track.getAttribute('data-width'));
      var trackPx = track.clientWidth;
      label.className = 'wf-label';
      label.style.cssText = 'left:0;max-width:none';
      var need = label.offsetWidth; // text plus the 6px gap; inside the bar it needs 6px more
      var room = {
        right: trackPx * (100 - end) / 100,
        inside: trackPx * (end - left) / 100 - 6,
        left: trackPx * left / 100
      };
      var where = ['right', 'inside', 'left'].filter(function (k) { return need <= room[k]; })[0];
      if (!where) {
        where = ['right', 'inside', 'left'].reduce(function (a, b) { return room[b] > room[a] ? b : a; });
      }
      var fit = ';max-width:' + Math.max(room[where] + (where === 'inside' ? 6 : 0), 0) + 'px';
      if (where === 'right') {
        label.style.cssText = 'left:' + end + '%' + fit;
      } else if (where === 'inside') {
        label.className = 'wf-label inside';
        label.style.cssText = 'right:' + (100 - end) + '%' + fit;
      } else {
        label.className = 'wf-label before';
        label.style.cssText = 'right:' + (100 - left) + '%' + fit;
      }
    });
  }

  window.addEventListener('resize', function () {
    var waterfall = document.getElementById('waterfall');
    if (waterfall) placeWaterfallLabels(waterfall);
  });

  function fact(l, v, id) { return el('div', {}, el('div', { class: 'l', text: l }), el('div', { class: 'v', id: id, text: v })); }

  function showSpan(side, s) {
    clear(side);
    append(side, el('h3', { id: 'side-title', text: s.name }),
      el('div', { class: 'sub' }, s.kind + ' · ' + s.service + ' · ', el('span', { class: 'mono', text: s.span_id })));
    var facts = [fact('Duration', ms(s.duration_ms)), fact('Status', s.status + (s.status_message ? ': ' + s.status_message : ''))];
    if (s.llm) {
      facts.push(fact('Model', label(s.model, '?'), 'side-model'), fact('Input tokens', num(s.input_tokens)), fact('Output tokens', num(s.output_tokens)),
        fact('Cached', num(s.cache_read_tokens)), fact('Cost', s.cost_usd === null ? 'unpriced' : usd(s.cost_usd), 'side-cost'),
        fact('Priced by', s.priced_by === 'console' ? 'console' : s.priced_by === 'source' ? 'sender' : '—'));
    }
    if (s.workflow) facts.push(fact('Workflow', s.workflow));
    if (s.attempt) facts.push(fact('Attempt', s.attempt));
    append(side, el('div', { class: 'facts' }, facts));
    var attrs = s.attributes || {};
    CONTENT_KEYS.forEach(function (k) {
      if (attrs[k] === undefined) return;
      var value = attrs[k];
      var text = typeof value === 'string' ? prettyJson(value) : JSON.stringify(value, null, 2);
      append(side, el('h4', { text: k }), el('pre', { class: 'content', 'data-content': k, text: text }));
    });
    (s.events || []).forEach(function (e) {
      append(side, el('h4', { text: 'event: ' + e.name }),
        el('pre', { class: 'content', text: JSON.stringify(e.attributes, null, 2) }));
    });
    append(side, el('h4', { text: 'Attributes' }), kvTable(attrs, 'side-attributes'));
    append(side, el('h4', { text: 'Resource' }), kvTable(s.resource || {}, 'side-resource'));
  }

  function prettyJson(text) {
    try { return JSON.stringify(JSON.parse(text), null, 2); } catch (e) { return text; }
  }

  function kvTable(obj, id) {
    var keys = Object.keys(obj).sort();
    return el('table', { class: 'kv', id: id }, el('tbody', {}, keys.map(function (k) {
      var v = obj[k];
      return el('tr', {}, el('td', { class: 'k', text: k }), el('td', { class: 'v', text: typeof v === 'string' ? v : JSON.stringify(v) }));
    })));
  }

  // ---- filters, routing, refresh ----------------------------------------------------------------

  function fillSelect(select, values, current) {
    var keep = select.options[0];
    clear(select);
    append(select, keep);
    values.forEach(function (v) { append(select, el('option', { value: v, text: v })); });
    if (current && values.indexOf(current) < 0) append(select, el('option', { value: current, text: current }));
    select.value = current || '';
  }

  function loadFilters() {
    return api('filters').then(function (f) {
      fillSelect(document.getElementById('f-service'), f.services, state.service);
      fillSelect(document.getElementById('f-workflow'), f.workflows, state.workflow);
      fillSelect(document.getElementById('f-model'), f.models, state.model);
    });
  }

  function route() {
    var path = location.pathname;
    var m = path.match(/^\/trace\/([0-9a-fA-F]{32})$/);
    if (m) return { name: 'trace', id: m[1] };
    if (path === '/traces') return { name: 'traces' };
    return { name: 'dashboard' };
  }

  function render() {
    disposeCharts();
    var view = document.getElementById('view');
    clear(view);
    document.body.removeAttribute('data-loaded');
    var r = route();
    document.querySelectorAll('.nav a').forEach(function (a) {
      a.classList.toggle('active', a.getAttribute('data-route') === (r.name === 'trace' ? 'traces' : r.name));
    });
    var range = timeRange();
    setStatus('Loading…');
    var work = r.name === 'trace' ? renderTrace(view, r.id) : r.name === 'traces' ? renderTraces(view) : renderDashboard(view);
    return work.then(function () {
      setStatus((r.name === 'trace' ? 'Trace view' : time(range.from) + ' – ' + time(range.to)) +
        (state.refresh ? ' · refreshing every ' + state.refresh + ' s' : '') + ' · updated ' + new Date().toLocaleTimeString());
    }).catch(function (e) {
      setStatus('Could not load: ' + e.message, true);
    });
  }

  function navigate(path) {
    history.pushState(null, '', path + pageQuery());
    render();
  }

  function updateUrl() {
    history.replaceState(null, '', location.pathname + pageQuery());
  }

  function setRefresh(seconds) {
    if (refreshTimer) clearInterval(refreshTimer);
    refreshTimer = null;
    state.refresh = seconds;
    if (seconds > 0) {
      refreshTimer = setInterval(function () { if (route().name !== 'trace') render(); }, seconds * 1000);
    }
  }

  function init() {
    var rangeSelect = document.getElementById('range');
    if (state.range === 'custom') {
      rangeSelect.querySelector('option[value=custom]').hidden = false;
    }
    rangeSelect.value = state.range;
    rangeSelect.addEventListener('change', function () {
      state.range = rangeSelect.value; state.from = null; state.to = null;
      updateUrl(); loadFilters().then(render);
    });
    [['f-service', 'service'], ['f-workflow', 'workflow'], ['f-model', 'model']].forEach(function (pair) {
      var select = document.getElementById(pair[0]);
      select.addEventListener('change', function () { state[pair[1]] = select.value; updateUrl(); render(); });
    });
    var refresh = document.getElementById('refresh');
    refresh.value = String(state.refresh);
    refresh.addEventListener('change', function () { setRefresh(Number(refresh.value)); updateUrl(); render(); });
    document.getElementById('reload').addEventListener('click', function () { loadFilters().then(render); });
    document.addEventListener('click', function (e) {
      var a = e.target.closest ? e.target.closest('a[data-link]') : null;
      if (a && !e.ctrlKey && !e.metaKey && !e.shiftKey) {
        e.preventDefault();
        e.stopPropagation();
        navigate(a.getAttribute('href'));
      }
    });
    window.addEventListener('popstate', function () { state = readState(); render(); });
    setRefresh(state.refresh);
    loadFilters().catch(function () { /* shown by render */ }).then(render);
  }

  init();
})();

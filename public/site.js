// The site's only script, and an optional one: every page works without it.
// It adds the theme toggle, the chart filter, the copy buttons, sortable tables, and a crosshair
// and line toggles on line charts.
(function () {
  'use strict';
  var root = document.documentElement;

  // Theme: system (no attribute), light or dark; the choice is kept in localStorage.
  var toggle = document.getElementById('theme-toggle');
  if (toggle) {
    var names = { system: 'Theme: system', light: 'Theme: light', dark: 'Theme: dark' };
    var next = { system: 'dark', dark: 'light', light: 'system' };
    var current = function () {
      var t = root.getAttribute('data-theme');
      return t === 'light' || t === 'dark' ? t : 'system';
    };
    var show = function () {
      toggle.textContent = names[current()];
      toggle.setAttribute('aria-label', names[current()] + ' (change)');
    };
    toggle.hidden = false;
    show();
    toggle.addEventListener('click', function () {
      var t = next[current()];
      if (t === 'system') root.removeAttribute('data-theme');
      else root.setAttribute('data-theme', t);
      try {
        if (t === 'system') localStorage.removeItem('theme');
        else localStorage.setItem('theme', t);
      } catch (e) {}
      show();
    });
  }

  // Filter: hides list items whose text does not contain every typed word.
  var input = document.getElementById('chart-filter');
  if (input) {
    var box = document.getElementById('chart-filter-box');
    var status = document.getElementById('chart-filter-status');
    var groups = document.querySelectorAll('[data-filter-group]');
    if (box) box.hidden = false;
    var run = function () {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      for (var g = 0; g < groups.length; g++) {
        var group = groups[g];
        var head = (group.getAttribute('data-filter-text') || '').toLowerCase();
        var items = group.querySelectorAll('[data-filter-item]');
        var any = 0;
        for (var i = 0; i < items.length; i++) {
          var text = head + ' ' + (items[i].getAttribute('data-filter-text') || '').toLowerCase();
          var ok = words.every(function (w) { return text.indexOf(w) >= 0; });
          items[i].hidden = !ok;
          if (ok) any++;
        }
        group.hidden = any === 0;
        shown += any;
      }
      if (status) status.textContent = words.length ? shown + ' chart' + (shown === 1 ? '' : 's') + ' match' : '';
    };
    input.addEventListener('input', run);
    if (input.value) run();
  }

  // Release-note snippets: fill in this page's origin when the build did not know the site URL.
  var snippets = document.querySelectorAll('[data-relative-snippet]');
  for (var s = 0; s < snippets.length; s++) {
    var el = snippets[s];
    el.textContent = el.textContent.replace(/\]\((\/[^)\s]*)\)/g, function (_, path) {
      return '](' + new URL(path, location.href).href + ')';
    });
  }

  // Copy buttons: copy the text of the element named by data-copy.
  var buttons = document.querySelectorAll('button[data-copy]');
  for (var b = 0; b < buttons.length; b++) {
    (function (button) {
      button.hidden = false;
      button.addEventListener('click', function () {
        var target = document.getElementById(button.getAttribute('data-copy'));
        if (!target) return;
        var text = target.textContent;
        var done = function () {
          button.textContent = 'Copied';
          setTimeout(function () { button.textContent = 'Copy'; }, 2000);
        };
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(text).then(done, function () { select(target); });
        } else select(target);
      });
    })(buttons[b]);
  }
  // Sortable tables: a button in each column head of tables marked data-sortable sorts the rows of
  // every row group (tbody) by that column; group headings and "other" rows stay where they are.
  var tables = document.querySelectorAll('table[data-sortable]');
  for (var t = 0; t < tables.length; t++) sortable(tables[t]);
  function cellValue(row, col) {
    var cell = row.cells[col];
    var text = cell ? cell.textContent.trim() : '';
    var m = /^[<≤]?\s*[−-]?[\d,]*\.?\d+/.exec(text.replace(/^[▲▼+]\s*/, ''));
    if (m) return { num: parseFloat(m[0].replace(/[<≤,\s]/g, '').replace('−', '-')), text: text };
    return { num: null, text: text };
  }
  function sortable(table) {
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    for (var c = 0; c < heads.length; c++) {
      (function (th, col) {
        var button = document.createElement('button');
        button.type = 'button';
        button.className = 'sort';
        while (th.firstChild) button.appendChild(th.firstChild);
        th.appendChild(button);
        button.addEventListener('click', function () {
          var dir = th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
          for (var h = 0; h < heads.length; h++) heads[h].removeAttribute('aria-sort');
          th.setAttribute('aria-sort', dir);
          var sign = dir === 'ascending' ? 1 : -1;
          for (var b = 0; b < table.tBodies.length; b++) {
            var body = table.tBodies[b];
            var rows = [];
            var fixed = [];
            for (var r = 0; r < body.rows.length; r++) {
              var row = body.rows[r];
              (row.classList.contains('group') || row.classList.contains('other') ? fixed : rows).push(row);
            }
            rows.sort(function (a, z) {
              var x = cellValue(a, col);
              var y = cellValue(z, col);
              if (x.num !== null && y.num !== null) return sign * (x.num - y.num);
              if (x.num !== null) return -1;
              if (y.num !== null) return 1;
              return sign * x.text.localeCompare(y.text);
            });
            var head = fixed.filter(function (f) { return f.classList.contains('group'); });
            var tail = fixed.filter(function (f) { return !f.classList.contains('group'); });
            head.concat(rows, tail).forEach(function (row) { body.appendChild(row); });
          }
        });
      })(heads[c], c);
    }
  }

  // Crosshair: hovering or arrow keys over a line chart list every bucket's share and interval for that week,
  // read from the chart's own JSON (same site). Series toggles hide and show its lines.
  var figures = document.querySelectorAll('figure[data-chart-json]');
  for (var f = 0; f < figures.length; f++) crosshair(figures[f]);
  function pctText(v) {
    var p = v * 100;
    return (p > 0 && p < 1 ? p.toFixed(2) : p.toFixed(1)) + '%';
  }
  function crosshair(fig) {
    var svgs = fig.querySelectorAll('svg.chart-line');
    var tip = document.createElement('div');
    tip.className = 'crosshair-tip';
    tip.setAttribute('role', 'status');
    tip.hidden = true;
    fig.appendChild(tip);
    var data = null;
    var loading = false;
    var load = function (then) {
      if (data) return then();
      if (loading) return;
      loading = true;
      fetch(fig.getAttribute('data-chart-json')).then(function (r) { return r.ok ? r.json() : null; }).then(function (j) {
        data = j;
        loading = false;
        if (data) then();
      }, function () { loading = false; });
    };
    for (var k = 0; k < svgs.length; k++) (function (svg) {
      var frame = svg.querySelector('rect.hover-frame');
      if (!frame) return;
      var weeks = frame.getAttribute('data-weeks').split(',');
      var xs = frame.getAttribute('data-x').split(',').map(Number);
      var series = JSON.parse(frame.getAttribute('data-series') || '[]');
      var ns = 'http://www.w3.org/2000/svg';
      var line = document.createElementNS(ns, 'line');
      line.setAttribute('class', 'crosshair');
      line.setAttribute('y1', frame.getAttribute('y'));
      line.setAttribute('y2', String(Number(frame.getAttribute('y')) + Number(frame.getAttribute('height'))));
      line.style.display = 'none';
      svg.appendChild(line);
      var at = weeks.length - 1;
      var show = function (i) {
        at = Math.max(0, Math.min(weeks.length - 1, i));
        line.setAttribute('x1', xs[at]);
        line.setAttribute('x2', xs[at]);
        line.style.display = '';
        load(function () {
          var w = null;
          for (var j = 0; j < data.weeks.length; j++) if (data.weeks[j].week === weeks[at]) w = data.weeks[j];
          tip.textContent = '';
          var head = document.createElement('strong');
          head.textContent = 'Week ending ' + weeks[at] + (w && w.provisional ? ' (provisional)' : '') + (w ? ': n = ' + w.n.toLocaleString('en-US') : ': no data');
          tip.appendChild(head);
          var list = document.createElement('ul');
          var rows = w ? w.buckets.filter(function (b) { return b.status === 'published' && w.n >= 50; }) : [];
          rows.sort(function (a, b) { return b.share - a.share; });
          rows.forEach(function (b) {
            var li = document.createElement('li');
            li.textContent = b.bucket + ': ' + pctText(b.share) + ' (' + pctText(b.ci[0]) + '–' + pctText(b.ci[1]) + ')';
            if (series.indexOf(b.bucket) >= 0) li.className = 'drawn';
            list.appendChild(li);
          });
          if (w && w.other && w.other.share !== null) {
            var li = document.createElement('li');
            li.textContent = w.other.label + ': ' + pctText(w.other.share);
            list.appendChild(li);
          }
          tip.appendChild(list);
          // Keep the box on the side away from the crosshair.
          var right = xs[at] > Number(frame.getAttribute('x')) + Number(frame.getAttribute('width')) / 2;
          tip.style.left = right ? '0.5rem' : 'auto';
          tip.style.right = right ? 'auto' : '0.5rem';
          tip.hidden = false;
        });
      };
      var hide = function () {
        line.style.display = 'none';
        tip.hidden = true;
      };
      svg.addEventListener('pointermove', function (e) {
        var pt = svg.createSVGPoint();
        pt.x = e.clientX;
        pt.y = e.clientY;
        var p = pt.matrixTransform(svg.getScreenCTM().inverse());
        var best = 0;
        for (var j = 1; j < xs.length; j++) if (Math.abs(xs[j] - p.x) < Math.abs(xs[best] - p.x)) best = j;
        show(best);
      });
      svg.addEventListener('pointerleave', hide);
      svg.setAttribute('tabindex', '0');
      svg.addEventListener('focus', function () { show(at); });
      svg.addEventListener('blur', hide);
      svg.addEventListener('keydown', function (e) {
        var step = { ArrowLeft: -1, ArrowRight: 1 }[e.key];
        if (step) show(at + step);
        else if (e.key === 'Home') show(0);
        else if (e.key === 'End') show(weeks.length - 1);
        else if (e.key === 'Escape') hide();
        else return;
        e.preventDefault();
      });
      // Series toggles: one button per drawn line, pressed while it is shown.
      if (series.length > 1) {
        var bar = document.createElement('div');
        bar.className = 'series-toggles';
        bar.setAttribute('role', 'group');
        bar.setAttribute('aria-label', 'Lines shown');
        series.forEach(function (name, i) {
          var b = document.createElement('button');
          b.type = 'button';
          b.textContent = name;
          b.setAttribute('aria-pressed', 'true');
          b.addEventListener('click', function () {
            var on = b.getAttribute('aria-pressed') !== 'true';
            b.setAttribute('aria-pressed', on ? 'true' : 'false');
            var els = svg.querySelectorAll('.series-' + i);
            for (var q = 0; q < els.length; q++) els[q].style.display = on ? '' : 'none';
          });
          bar.appendChild(b);
        });
        svg.parentNode.insertBefore(bar, svg);
      }
    })(svgs[k]);
  }

  function select(el) {
    var range = document.createRange();
    range.selectNodeContents(el);
    var sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
  }
})();

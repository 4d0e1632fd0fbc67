// The site's only script, and an optional one: every page works without it.
// It adds the theme toggle, the chart filter, the copy buttons, sortable tables, and a crosshair
// and line toggles on line charts.
(() => {
  const root = document.documentElement;
  // Clip paths made by the range bar.
  let zooms = 0;

  // Theme: system (no attribute), light or dark; the choice is kept in localStorage.
  const toggle = document.getElementById('theme-toggle');
  if (toggle) {
    const names = { system: 'Theme: system', light: 'Theme: light', dark: 'Theme: dark' };
    const next = { system: 'dark', dark: 'light', light: 'system' };
    const current = () => {
      const t = root.getAttribute('data-theme');
      return t === 'light' || t === 'dark' ? t : 'system';
    };
    const show = () => {
      toggle.textContent = names[current()];
      toggle.setAttribute('aria-label', names[current()] + ' (change)');
    };
    toggle.hidden = false;
    show();
    toggle.addEventListener('click', () => {
      const t = next[current()];
      if (t === 'system') root.removeAttribute('data-theme');
      else root.setAttribute('data-theme', t);
      try {
        if (t === 'system') localStorage.removeItem('theme');
        else localStorage.setItem('theme', t);
      } catch (_e) {}
      show();
    });
  }

  // Filter: hides list items whose text does not contain every typed word.
  const input = document.getElementById('chart-filter');
  if (input) {
    const box = document.getElementById('chart-filter-box');
    const status = document.getElementById('chart-filter-status');
    const groups = document.querySelectorAll('[data-filter-group]');
    if (box) box.hidden = false;
    const run = () => {
      const words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      let shown = 0;
      for (let g = 0; g < groups.length; g++) {
        const group = groups[g];
        const head = (group.getAttribute('data-filter-text') || '').toLowerCase();
        const items = group.querySelectorAll('[data-filter-item]');
        let any = 0;
        for (let i = 0; i < items.length; i++) {
          const text = head + ' ' + (items[i].getAttribute('data-filter-text') || '').toLowerCase();
          const ok = words.every((w) => text.indexOf(w) >= 0);
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
  const snippets = document.querySelectorAll('[data-relative-snippet]');
  for (let s = 0; s < snippets.length; s++) {
    const el = snippets[s];
    el.textContent = el.textContent.replace(/\]\((\/[^)\s]*)\)/g, (_, path) => '](' + new URL(path, location.href).href + ')');
  }

  // Copy buttons: copy the text of the element named by data-copy.
  const buttons = document.querySelectorAll('button[data-copy]');
  for (let b = 0; b < buttons.length; b++) {
    ((button) => {
      button.hidden = false;
      button.addEventListener('click', () => {
        const target = document.getElementById(button.getAttribute('data-copy'));
        if (!target) return;
        const text = target.textContent;
        const done = () => {
          button.textContent = 'Copied';
          setTimeout(() => {
            button.textContent = 'Copy';
          }, 2000);
        };
        if (navigator.clipboard?.writeText) {
          navigator.clipboard.writeText(text).then(done, () => {
            select(target);
          });
        } else select(target);
      });
    })(buttons[b]);
  }
  // Sortable tables: a button in each column head of tables marked data-sortable sorts the rows of
  // every row group (tbody) by that column; group headings and "other" rows stay where they are.
  const tables = document.querySelectorAll('table[data-sortable]');
  for (let t = 0; t < tables.length; t++) sortable(tables[t]);
  function cellValue(row, col) {
    const cell = row.cells[col];
    const text = cell ? cell.textContent.trim() : '';
    const m = /^[<≤]?\s*[−-]?[\d,]*\.?\d+/.exec(text.replace(/^[▲▼+]\s*/, ''));
    if (m) return { num: parseFloat(m[0].replace(/[<≤,\s]/g, '').replace('−', '-')), text: text };
    return { num: null, text: text };
  }
  function sortable(table) {
    const heads = table.tHead ? table.tHead.rows[0].cells : [];
    for (let c = 0; c < heads.length; c++) {
      ((th, col) => {
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'sort';
        while (th.firstChild) button.appendChild(th.firstChild);
        th.appendChild(button);
        button.addEventListener('click', () => {
          const dir = th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
          for (let h = 0; h < heads.length; h++) heads[h].removeAttribute('aria-sort');
          th.setAttribute('aria-sort', dir);
          const sign = dir === 'ascending' ? 1 : -1;
          for (let b = 0; b < table.tBodies.length; b++) {
            const body = table.tBodies[b];
            const rows = [];
            const fixed = [];
            for (let r = 0; r < body.rows.length; r++) {
              const row = body.rows[r];
              (row.classList.contains('group') || row.classList.contains('other') ? fixed : rows).push(row);
            }
            rows.sort((a, z) => {
              const x = cellValue(a, col);
              const y = cellValue(z, col);
              if (x.num !== null && y.num !== null) return sign * (x.num - y.num);
              if (x.num !== null) return -1;
              if (y.num !== null) return 1;
              return sign * x.text.localeCompare(y.text);
            });
            const head = fixed.filter((f) => f.classList.contains('group'));
            const tail = fixed.filter((f) => !f.classList.contains('group'));
            head.concat(rows, tail).forEach((row) => {
              body.appendChild(row);
            });
          }
        });
      })(heads[c], c);
    }
  }

  // Crosshair: hovering or arrow keys over a line chart list every bucket's share and interval for that week,
  // read from the chart's own JSON (same site). Series toggles hide and show its lines. A range bar on every
  // chart of weeks (line and mean charts) shows the last 12 or 26 weeks or all of them: the x axis is
  // stretched, the y axis is kept.
  each(document, 'figure.chart', (fig) => {
    if (fig.querySelector('rect.hover-frame')) crosshair(fig);
  });
  function pctText(v) {
    const p = v * 100;
    return (p > 0 && p < 1 ? p.toFixed(2) : p.toFixed(1)) + '%';
  }
  function crosshair(fig) {
    const svgs = fig.querySelectorAll('svg.chart');
    const json = fig.getAttribute('data-chart-json');
    const tip = document.createElement('div');
    tip.className = 'crosshair-tip';
    tip.setAttribute('role', 'status');
    tip.hidden = true;
    if (json) fig.appendChild(tip);
    let data = null;
    let loading = false;
    const load = (then) => {
      if (data) return then();
      if (loading) return;
      loading = true;
      fetch(json)
        .then((r) => (r.ok ? r.json() : null))
        .then(
          (j) => {
            data = j;
            loading = false;
            if (data) then();
          },
          () => {
            loading = false;
          },
        );
    };
    const views = [];
    for (let k = 0; k < svgs.length; k++)
      ((svg) => {
        const frame = svg.querySelector('rect.hover-frame');
        if (!frame) return;
        const weeks = frame.getAttribute('data-weeks').split(',');
        let xs = frame.getAttribute('data-x').split(',').map(Number);
        const view = { svg: svg, frame: frame, weeks: weeks, xs0: xs.slice(), xs: xs, lo: 0 };
        views.push(view);
        if (!json) return;
        const series = JSON.parse(frame.getAttribute('data-series') || '[]');
        const ns = 'http://www.w3.org/2000/svg';
        const line = document.createElementNS(ns, 'line');
        line.setAttribute('class', 'crosshair');
        line.setAttribute('y1', frame.getAttribute('y'));
        line.setAttribute('y2', String(Number(frame.getAttribute('y')) + Number(frame.getAttribute('height'))));
        line.style.display = 'none';
        svg.appendChild(line);
        let at = weeks.length - 1;
        const show = (i) => {
          xs = view.xs;
          at = Math.max(view.lo, Math.min(weeks.length - 1, i));
          line.setAttribute('x1', xs[at]);
          line.setAttribute('x2', xs[at]);
          line.style.display = '';
          load(() => {
            let w = null;
            for (let j = 0; j < data.weeks.length; j++) if (data.weeks[j].week === weeks[at]) w = data.weeks[j];
            tip.textContent = '';
            const head = document.createElement('strong');
            head.textContent =
              'Week ending ' + weeks[at] + (w?.provisional ? ' (provisional)' : '') + (w ? ': n = ' + w.n.toLocaleString('en-US') : ': no data');
            tip.appendChild(head);
            const list = document.createElement('ul');
            const rows = w ? w.buckets.filter((b) => b.status === 'published' && w.n >= 50) : [];
            rows.sort((a, b) => b.share - a.share);
            rows.forEach((b) => {
              const li = document.createElement('li');
              li.textContent = b.bucket + ': ' + pctText(b.share) + ' (' + pctText(b.ci[0]) + '–' + pctText(b.ci[1]) + ')';
              if (series.indexOf(b.bucket) >= 0) li.className = 'drawn';
              list.appendChild(li);
            });
            if (w && w.other && w.other.share !== null) {
              const li = document.createElement('li');
              li.textContent = w.other.label + ': ' + pctText(w.other.share);
              list.appendChild(li);
            }
            tip.appendChild(list);
            // Keep the box on the side away from the crosshair.
            const right = xs[at] > Number(frame.getAttribute('x')) + Number(frame.getAttribute('width')) / 2;
            tip.style.left = right ? '0.5rem' : 'auto';
            tip.style.right = right ? 'auto' : '0.5rem';
            tip.hidden = false;
          });
        };
        const hide = () => {
          line.style.display = 'none';
          tip.hidden = true;
        };
        svg.addEventListener('pointermove', (e) => {
          const pt = svg.createSVGPoint();
          pt.x = e.clientX;
          pt.y = e.clientY;
          const p = pt.matrixTransform(svg.getScreenCTM().inverse());
          let best = view.lo;
          for (let j = best + 1; j < xs.length; j++) if (Math.abs(view.xs[j] - p.x) < Math.abs(view.xs[best] - p.x)) best = j;
          show(best);
        });
        svg.addEventListener('pointerleave', hide);
        svg.setAttribute('tabindex', '0');
        svg.addEventListener('focus', () => {
          show(at);
        });
        svg.addEventListener('blur', hide);
        svg.addEventListener('keydown', (e) => {
          const step = { ArrowLeft: -1, ArrowRight: 1 }[e.key];
          if (step) show(at + step);
          else if (e.key === 'Home') show(view.lo);
          else if (e.key === 'End') show(weeks.length - 1);
          else if (e.key === 'Escape') hide();
          else return;
          e.preventDefault();
        });
        // Series toggles: one button per drawn line, pressed while it is shown.
        if (series.length > 1) {
          const bar = document.createElement('div');
          bar.className = 'series-toggles';
          bar.setAttribute('role', 'group');
          bar.setAttribute('aria-label', 'Lines shown');
          series.forEach((name, i) => {
            const b = document.createElement('button');
            b.type = 'button';
            b.textContent = name;
            b.setAttribute('aria-pressed', 'true');
            b.addEventListener('click', () => {
              const on = b.getAttribute('aria-pressed') !== 'true';
              b.setAttribute('aria-pressed', on ? 'true' : 'false');
              const els = svg.querySelectorAll('.series-' + i);
              for (let q = 0; q < els.length; q++) els[q].style.display = on ? '' : 'none';
            });
            bar.appendChild(b);
          });
          svg.parentNode.insertBefore(bar, svg);
        }
      })(svgs[k]);
    const total = views.length ? views[0].weeks.length : 0;
    if (total <= 12) return;
    const spans = [12, 26, total].filter((n, i, a) => n <= total && a.indexOf(n) === i);
    const bar = document.createElement('div');
    bar.className = 'range-bar';
    bar.setAttribute('role', 'group');
    bar.setAttribute('aria-label', 'Weeks shown');
    const pick = (n) => {
      for (let q = 0; q < bar.children.length; q++) bar.children[q].setAttribute('aria-pressed', +bar.children[q].value === n ? 'true' : 'false');
      views.forEach((v) => {
        zoom(v, n);
      });
    };
    spans.forEach((n) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.value = n;
      b.textContent = n === total ? 'All ' + total + ' weeks' : 'Last ' + n + ' weeks';
      b.addEventListener('click', () => {
        pick(n);
        try {
          localStorage.setItem('weeks', n === total ? 'all' : n);
        } catch (_e) {}
      });
      bar.appendChild(b);
    });
    fig.insertBefore(bar, fig.firstChild);
    let saved = null;
    try {
      saved = localStorage.getItem('weeks');
    } catch (_e) {}
    pick(saved && spans.indexOf(+saved) >= 0 ? +saved : total);
  }

  // Shows the last n weeks of a line chart: every x inside the plot is mapped linearly so that those weeks
  // fill it; lines and bands are redrawn, points and markers moved (not stretched), the rest is clipped.
  function zoom(v, n) {
    const svg = v.svg;
    const fr = v.frame;
    const left = +fr.getAttribute('x');
    const right = left + +fr.getAttribute('width');
    const xs = v.xs0;
    const last = xs.length - 1;
    v.lo = Math.max(0, last + 1 - n);
    // Every week: the chart exactly as built.
    const all = v.lo === 0;
    if (all && !v.zoomed) return;
    v.zoomed = true;
    // The plot runs from half a week before the first week to half a week after the last.
    const half = (right - left - (xs[last] - xs[0])) / 2;
    const a = xs[v.lo] - half;
    const k = (right - left) / (xs[last] + half - a);
    const f = all ? (x) => x : (x) => left + (x - a) * k;
    v.xs = xs.map(f);
    let clip = svg.querySelector('clipPath.range-clip');
    if (!clip) {
      const ns = 'http://www.w3.org/2000/svg';
      clip = document.createElementNS(ns, 'clipPath');
      clip.setAttribute('class', 'range-clip');
      clip.id = 'range-clip-' + ++zooms;
      const r = document.createElementNS(ns, 'rect');
      r.setAttribute('x', left - 1);
      r.setAttribute('width', right - left + 2);
      r.setAttribute('height', svg.viewBox.baseVal.height || 9999);
      clip.appendChild(r);
      svg.appendChild(clip);
      each(svg, 'g.bands, g.lines, g.points, g.changes, g.provisional', (g) => {
        g.setAttribute('clip-path', 'url(#' + clip.id + ')');
      });
    }
    // An attribute as built (kept on first use), and the same attribute with its x mapped.
    const orig = (el, name) => {
      if (!(name in el.dataset)) el.dataset[name] = name === 'label' ? el.textContent : el.getAttribute(name);
      return el.dataset[name];
    };
    const move = (el, name) => el.setAttribute(name, all ? orig(el, name) : f(+orig(el, name)).toFixed(1));
    each(svg, 'g.bands path, g.lines path', (p) => {
      const d = orig(p, 'd');
      p.setAttribute('d', all ? d : d.replace(/([ML])(-?[\d.]+),/g, (_, c, x) => c + f(+x).toFixed(1) + ','));
    });
    each(svg, 'g.bands line', (l) => {
      move(l, 'x1');
      move(l, 'x2');
    });
    each(svg, 'g.points path, g.changes path', (p) => {
      p.removeAttribute('transform');
      if (all) return;
      const b = p.getBBox();
      const cx = b.x + b.width / 2;
      p.setAttribute('transform', 'translate(' + (f(cx) - cx).toFixed(1) + ',0)');
    });
    each(svg, 'g.provisional rect', (r) => {
      const x = Math.max(left, f(+orig(r, 'x')));
      r.setAttribute('x', all ? orig(r, 'x') : x.toFixed(1));
      r.setAttribute('width', all ? orig(r, 'width') : Math.max(0, right - x).toFixed(1));
    });
    // x-axis ticks: moved, hidden outside the plot; the first one shown names its year.
    let first = !all;
    const ticks = svg.querySelectorAll('g.axis-x line');
    each(svg, 'g.axis-x text', (t, i) => {
      const x = f(+orig(t, 'x'));
      const out = x < left - 0.5 || x > right + 0.5;
      let label = orig(t, 'label');
      if (!out && first && !/\d{4}/.test(label) && last > 0) {
        const day = new Date(v.weeks[0] + 'T00:00:00Z').getTime() + ((+orig(t, 'x') - xs[0]) / (2 * half)) * 7 * 864e5;
        label += ' ' + new Date(day).getUTCFullYear();
      }
      if (!out) first = false;
      t.textContent = label;
      move(t, 'x');
      t.style.display = out ? 'none' : '';
      if (ticks[i]) {
        move(ticks[i], 'x1');
        move(ticks[i], 'x2');
        ticks[i].style.display = out ? 'none' : '';
      }
    });
  }
  function each(root, sel, fn) {
    const els = root.querySelectorAll(sel);
    for (let i = 0; i < els.length; i++) fn(els[i], i);
  }

  function select(el) {
    const range = document.createRange();
    range.selectNodeContents(el);
    const sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
  }
})();
